import { protocolIndex } from "./protocol.js";

/**
 * What a services(5) line holds: "empty" (blank or only a comment), "entry" (`name port/protocol
 * [aliases...] [# comment]` on tcp, udp, sctp or dccp), "other" (well formed, for another protocol
 * such as ddp) or "malformed" (anything else: skipped and counted).
 */
export type LineKind = "empty" | "entry" | "other" | "malformed";

const NEWLINE = 10;
const HASH = 35;
const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** C's isspace without the line break: what libc skips between fields. */
function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13 && code !== NEWLINE);
}

function isProtocolChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45;
}

/**
 * One line of a services file, read in place by charCode (no regular expression, no split):
 * `read` fills the fields with offsets into the text, so a scan allocates nothing per line.
 */
export class ServicesLine {
  kind: LineKind = "empty";
  /** Where the next line starts. */
  next = 0;
  nameStart = 0;
  nameEnd = 0;
  port = 0;
  /** Index in PROTOCOLS, -1 for another protocol. */
  protocolIndex = -1;
  /** From after the protocol to the comment or the end of the line: the aliases, between blanks. */
  aliasesStart = 0;
  aliasesEnd = 0;
  /** After the `#`, or -1 when the line has no comment. */
  commentStart = -1;

  /** Reads the line that starts at `start`. */
  read(text: string, start: number): LineKind {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    this.next = end + 1;
    this.commentStart = -1;
    let at = start;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    if (at === end || text.charCodeAt(at) === HASH) return (this.kind = "empty");
    this.kind = "malformed";
    this.nameStart = at;
    while (at < end && !isBlank(text.charCodeAt(at)) && text.charCodeAt(at) !== HASH) at++;
    this.nameEnd = at;
    const afterName = at;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    if (at === afterName) return this.kind;
    let port = 0;
    const digitsStart = at;
    for (let code = text.charCodeAt(at); at < end && code >= DIGIT_0 && code <= DIGIT_9; code = text.charCodeAt(++at)) {
      port = port * 10 + code - DIGIT_0;
    }
    if (at === digitsStart || at - digitsStart > 5 || port > 65535 || text.charCodeAt(at) !== SLASH) return this.kind;
    this.port = port;
    const protocolStart = ++at;
    while (at < end && isProtocolChar(text.charCodeAt(at))) at++;
    const protocolEnd = at;
    if (protocolEnd === protocolStart || (at < end && !isBlank(text.charCodeAt(at)) && text.charCodeAt(at) !== HASH)) return this.kind;
    this.aliasesStart = at;
    // A loop, not indexOf("#"): that would run on past the line's end to the next comment in the file.
    while (at < end && text.charCodeAt(at) !== HASH) at++;
    this.aliasesEnd = at;
    if (at < end) this.commentStart = at + 1;
    this.protocolIndex = protocolIndex(text.slice(protocolStart, protocolEnd).toLowerCase());
    return (this.kind = this.protocolIndex < 0 ? "other" : "entry");
  }

  /** The name, then the aliases, as the line gives them. */
  names(text: string): string[] {
    const names = [text.slice(this.nameStart, this.nameEnd)];
    let at = this.aliasesStart;
    while (at < this.aliasesEnd) {
      while (at < this.aliasesEnd && isBlank(text.charCodeAt(at))) at++;
      const aliasStart = at;
      while (at < this.aliasesEnd && !isBlank(text.charCodeAt(at))) at++;
      if (at > aliasStart) names.push(text.slice(aliasStart, at));
    }
    return names;
  }

  /** The comment without surrounding blanks, or undefined when there is none or it is blank. */
  comment(text: string): string | undefined {
    if (this.commentStart < 0) return undefined;
    const comment = text.slice(this.commentStart, this.next - 1).trim();
    return comment === "" ? undefined : comment;
  }
}
