import type { ParseProblem } from "./errors.js";
import { parseDottedIPv4 } from "./parse-dotted-ipv4.js";

/**
 * Strict dotted-quad decimal, as glibc inet_pton(AF_INET) accepts it: exactly four parts of
 * 0-255, no leading zeros, nothing else. Returns the address as a uint32, or -1 (then
 * parseDottedIPv4 says why). Allocates nothing.
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
  // The slow reader says why, writing into its own bytes so that out stays untouched.
  if (word < 0) return parseDottedIPv4(text, start, end, new Uint8Array(4), 0, true);
  out[offset] = word >>> 24;
  out[offset + 1] = word >>> 16;
  out[offset + 2] = word >>> 8;
  out[offset + 3] = word;
  return undefined;
}
