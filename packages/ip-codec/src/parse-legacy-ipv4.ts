import { type ParseProblem, unexpected } from "./errors.js";
import { hexDigit } from "./hex-digit.js";

/**
 * The BSD forms glibc inet_aton accepts (`a`, `a.b`, `a.b.c`, `a.b.c.d`; each part decimal,
 * octal with a leading 0, or hex with 0x), like its exact variant: nothing may follow.
 * Writes 4 bytes at out[offset].
 */
export function parseLegacyIPv4(text: string, start: number, end: number, out: Uint8Array, offset: number): ParseProblem | undefined {
  if (start === end) return { index: start, reason: "empty string" };
  let parts = 0;
  let i = start;
  for (;;) {
    const partStart = i;
    let c = text.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return i < end ? unexpected(text, i) : { index: i, reason: "empty part" };
    // strtoul base 0: "0x" then hex digits, "0" then octal digits, else decimal.
    let radix = 10;
    if (c === 48) {
      radix = 8;
      const x = text.charCodeAt(i + 1) | 0x20;
      const after = hexDigit(text.charCodeAt(i + 2));
      if (x === 120 && i + 2 < end && after >= 0) {
        radix = 16;
        i += 2;
      }
    }
    let value = 0;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      const digit = hexDigit(c);
      if (digit < 0 || digit >= radix) break;
      value = value * radix + digit;
      if (value > 0xffffffff) return { index: i, reason: `part ${parts + 1} is too big` };
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
    for (let b = 3; b >= parts - 1; b--) {
      out[offset + b] = value & 0xff;
      value = Math.floor(value / 256);
    }
    return undefined;
  }
}

