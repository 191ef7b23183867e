import { type ParseProblem, unexpected } from "./errors.js";
import { hexDigit } from "./hex-digit.js";

/**
 * Dotted IPv4 text, read part by part, writing 4 bytes at out[offset]; returns a problem or undefined.
 * strict: exactly four decimal parts 0-255 without leading zeros, as glibc inet_pton(AF_INET)
 * takes them (ipv4Word is the fast path; this says why a text is refused).
 * Not strict: the BSD forms glibc inet_aton accepts (`a`, `a.b`, `a.b.c`, `a.b.c.d`; each part
 * decimal, octal with a leading 0, or hex with 0x), like its exact variant: nothing may follow.
 */
export function parseDottedIPv4(text: string, start: number, end: number, out: Uint8Array, offset: number, strict: boolean): ParseProblem | undefined {
  let parts = 0;
  let i = start;
  for (;;) {
    const partStart = i;
    let c = text.charCodeAt(i);
    if (!(c >= 48 && c <= 57 && i < end)) return i < end && c !== 46 ? unexpected(text, i) : { index: i, reason: `part ${parts + 1} is missing or empty` };
    // strtoul base 0: "0x" then hex digits, "0" then octal digits, else decimal.
    let radix = 10;
    if (c === 48 && !strict) {
      radix = 8;
      // "0x" or "0X" with a hex digit after it.
      if ((text.charCodeAt(i + 1) | 0x20) === 120 && i + 2 < end && hexDigit(text.charCodeAt(i + 2)) >= 0) {
        radix = 16;
        i += 2;
      }
    }
    let value = 0;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      const digit = hexDigit(c);
      if (digit < 0 || digit >= radix) break;
      if (strict && i > partStart) {
        if (value === 0) return { index: partStart, reason: `part ${parts + 1} has a leading zero` };
        if (i - partStart === 3) return { index: i, reason: `part ${parts + 1} has more than 3 digits` };
      }
      value = value * radix + digit;
      const limit = strict ? 255 : 0xffffffff;
      if (value > limit) return { index: i, reason: `part ${parts + 1} is ${value}, above ${limit}` };
    }
    parts++;
    const dot = i < end && c === 46;
    if (i < end && !dot) return unexpected(text, i);
    if (dot && parts === 4) return { index: i, reason: "more than 4 parts" };
    // A part before a dot is one byte; the last part fills the bytes left (a.b: 24 bits).
    const max = dot ? 0xff : 2 ** (8 * (5 - parts)) - 1;
    if (value > max) return { index: partStart, reason: `part ${parts} is ${value}, above ${max}` };
    if (dot) {
      out[offset + parts - 1] = value;
      i++;
      continue;
    }
    // Strict and fewer than 4 parts: the next round finds the next part missing.
    if (strict && parts < 4) continue;
    // A Uint8Array keeps the low 8 bits of the integer part of what it is given.
    for (let b = 3; b >= parts - 1; b--) out[offset + b] = value / 256 ** (3 - b);
    return undefined;
  }
}
