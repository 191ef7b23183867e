// The few IRC replies a load client acts on, read in place from a chunk so no per-line strings are kept.

export type LineKind = "ping" | "welcome" | "endOfNames" | "privmsg" | "quit" | "error" | "nickRefused" | "other";

/** Index of the command in text[start, end): after the ":prefix " if there is one. */
export function commandStart(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) !== 58 /* : */) return start;
  const space = text.indexOf(" ", start);
  return space < 0 || space >= end ? end : space + 1;
}

/** What the line text[start, end) is, as far as a load client cares. */
export function lineKind(text: string, start: number, end: number): LineKind {
  const at = commandStart(text, start, end);
  if (text.startsWith("PRIVMSG ", at)) return "privmsg";
  if (text.startsWith("PING ", at)) return "ping";
  if (text.startsWith("366 ", at)) return "endOfNames";
  if (text.startsWith("001 ", at)) return "welcome";
  if (text.startsWith("QUIT", at)) return "quit";
  if (text.startsWith("ERROR ", at)) return "error";
  // Nick in use, erroneous, or unavailable.
  if (text.startsWith("433 ", at) || text.startsWith("432 ", at) || text.startsWith("437 ", at)) return "nickRefused";
  return "other";
}

/** The trailing parameter of text[start, end) (after " :"), or "" when there is none. */
export function trailing(text: string, start: number, end: number): string {
  const colon = text.indexOf(" :", commandStart(text, start, end));
  return colon < 0 || colon >= end ? "" : text.slice(colon + 2, end);
}

/** The send time (epoch ms) a load message carries at the start of its text, or NaN. */
export function sentAt(text: string, start: number, end: number): number {
  return Number.parseFloat(trailing(text, start, end));
}

/** The text to send back in PONG for a PING line. */
export function pingToken(text: string, start: number, end: number): string {
  return text.slice(commandStart(text, start, end) + 5, end);
}
