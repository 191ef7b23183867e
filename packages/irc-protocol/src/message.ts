/** One IRC message: `[@tags] [:prefix] COMMAND params... [:trailing]`. */
export interface IrcMessage {
  tags?: Record<string, string>;
  prefix?: string;
  command: string;
  params: string[];
}

const escapes: Record<string, string> = { ":": ";", s: " ", "\\": "\\", r: "\r", n: "\n" };

/** Decodes an IRCv3 tag value (`\:` is `;`, `\s` is space...); a lone trailing `\` is dropped. */
export function unescapeTagValue(value: string): string {
  if (!value.includes("\\")) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next === undefined) break;
    out += escapes[next] ?? next;
  }
  return out;
}

/** Encodes a tag value so it holds no space, semicolon, CR or LF. */
export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (ch) =>
    ch === "\\" ? "\\\\" : ch === ";" ? "\\:" : ch === " " ? "\\s" : ch === "\r" ? "\\r" : "\\n",
  );
}

function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of text.split(";")) {
    if (!item) continue;
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (key) tags[key] = eq < 0 ? "" : unescapeTagValue(item.slice(eq + 1));
  }
  return tags;
}

/** Parses one IRC line (without CR LF) per RFC 1459 2.3.1 and IRCv3 message-tags. */
export function parseMessage(line: string): IrcMessage | undefined {
  let pos = 0;
  const skipSpaces = (): void => {
    while (line.charCodeAt(pos) === 32) pos++;
  };
  const word = (): string => {
    const space = line.indexOf(" ", pos);
    const end = space < 0 ? line.length : space;
    const text = line.slice(pos, end);
    pos = end;
    return text;
  };
  skipSpaces();
  let tags: Record<string, string> | undefined;
  if (line[pos] === "@") {
    pos++;
    tags = parseTags(word());
    skipSpaces();
  }
  let prefix: string | undefined;
  if (line[pos] === ":") {
    pos++;
    prefix = word();
    skipSpaces();
  }
  const command = word().toUpperCase();
  if (!command) return undefined;
  const params: string[] = [];
  for (;;) {
    skipSpaces();
    if (pos >= line.length) break;
    if (line[pos] === ":") {
      params.push(line.slice(pos + 1));
      break;
    }
    params.push(word());
  }
  const message: IrcMessage = { command, params };
  if (tags) message.tags = tags;
  if (prefix !== undefined) message.prefix = prefix;
  return message;
}

/** The tag section (`@a=b;c `) for tags, or "" when there are none. */
export function formatTags(tags: Record<string, string> | undefined): string {
  if (!tags) return "";
  let out = "";
  for (const [key, value] of Object.entries(tags)) {
    out += (out ? ";" : "@") + key + (value === "" ? "" : "=" + escapeTagValue(value));
  }
  return out ? out + " " : "";
}

/**
 * Writes a message as one line without CR LF. The last parameter gets a colon when it
 * needs one, or always with `trailing` (the habit for free text such as PRIVMSG bodies).
 */
export function formatMessage(message: IrcMessage, trailing = false): string {
  let out = formatTags(message.tags);
  if (message.prefix) out += ":" + message.prefix + " ";
  out += message.command;
  const { params } = message;
  for (let i = 0; i < params.length; i++) {
    const param = params[i] as string;
    const last = i === params.length - 1;
    const colon = last && (trailing || param === "" || param.includes(" ") || param.startsWith(":"));
    out += colon ? " :" + param : " " + param;
  }
  return out;
}
