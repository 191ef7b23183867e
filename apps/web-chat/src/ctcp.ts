const mark = "\x01";

/** A CTCP message (`\x01ACTION waves\x01`): its command and text; undefined for plain text. */
export function parseCtcp(body: string): { command: string; text: string } | undefined {
  if (!body.startsWith(mark) || body.length < 2) return undefined;
  const inner = body.endsWith(mark) ? body.slice(1, -1) : body.slice(1);
  const space = inner.indexOf(" ");
  const command = (space < 0 ? inner : inner.slice(0, space)).toUpperCase();
  return command ? { command, text: space < 0 ? "" : inner.slice(space + 1) } : undefined;
}

/** The body of a CTCP message. */
export function formatCtcp(command: string, text: string): string {
  return `${mark}${command}${text ? " " + text : ""}${mark}`;
}
