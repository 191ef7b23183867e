import { type ParseProblem, unexpected } from "./errors.js";

/**
 * Strict dotted-quad decimal, as glibc inet_pton(AF_INET) accepts it: exactly four parts of
 * 0-255, no leading zeros, nothing else. Returns the address as a uint32, or -1 (then
 * ipv4Problem says why). Allocates nothing.
 */
export function ipv4Word(text: string, start: number, end: number): number {
  // Each part: its first digit, then (nearly always) a second one; whether a third follows
  // is random in real input, so it is decided with masks (0 or -1) instead of a branch.
  // Any negative term in `bad` marks the text invalid.
  const last = end - 1;
  let i = start;
  let word = 0;
  let bad = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      bad |= 0 - ((i < end ? text.charCodeAt(i) : 0) ^ 46);
      i++;
    }
    const d0 = (i < end ? text.charCodeAt(i) : 0) - 48;
    i++;
    bad |= ~((d0 - 10) & ~d0);
    let value = d0;
    const d1 = (i < end ? text.charCodeAt(i) : 0) - 48;
    if (((d1 - 10) & ~d1) < 0) {
      // The third read is clamped to the last character; a read past the end does not count.
      const k = i + 1;
      const d2 = text.charCodeAt(last + ((k - last) & ((k - last) >> 31))) - 48;
      const third = ((d2 - 10) & ~d2 & (k - end)) >> 31;
      value = d0 * 10 + d1;
      value += (value * 9 + d2) & third;
      bad |= (d0 - 1) | (255 - value);
      i += 1 - third;
    }
    word = (word << 8) | value;
  }
  bad |= 0 - (i ^ end);
  return bad < 0 ? -1 : word >>> 0;
}

/** Writes the strict IPv4 address in text[start, end) as 4 bytes at out[offset]; returns a problem (writing nothing) or undefined. */
export function parseIPv4(text: string, start: number, end: number, out: Uint8Array, offset: number): ParseProblem | undefined {
  const word = ipv4Word(text, start, end);
  if (word < 0) return ipv4Problem(text, start, end);
  out[offset] = word >>> 24;
  out[offset + 1] = word >>> 16;
  out[offset + 2] = word >>> 8;
  out[offset + 3] = word;
  return undefined;
}

/** Why ipv4Word refused text[start, end): the first bad character and the reason. Off the hot path, so plain. */
export function ipv4Problem(text: string, start: number, end: number): ParseProblem {
  let i = start;
  for (let part = 1; ; part++) {
    const from = i;
    while (i < end && /\d/.test(text.charAt(i))) i++;
    // The first three digits decide between a leading zero, a value above 255 and a fourth digit.
    const value = Number(text.slice(from, Math.min(i, from + 3)));
    const dot = i < end && text[i] === ".";
    if (i - from > 1 && text[from] === "0") return { index: from, reason: `part ${part} has a leading zero` };
    if (value > 255) return { index: from + 2, reason: `part ${part} is ${value}, above 255` };
    if (i - from > 3) return { index: from + 3, reason: `part ${part} has more than 3 digits` };
    if (i < end && !dot) return unexpected(text, i);
    if (i === from) return { index: i, reason: `part ${part} is missing or empty` };
    if (part === 4 || !dot) return { index: i, reason: dot ? "more than 4 parts" : `part ${part + 1} is missing or empty` };
    i++;
  }
}
