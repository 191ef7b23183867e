import { type ParseProblem, unexpected } from "./errors.js";

/**
 * Strict dotted-quad decimal, as glibc inet_pton(AF_INET) accepts it: exactly four parts of
 * 0-255, no leading zeros, nothing else. Writes 4 bytes at out[offset]; returns a problem or undefined.
 * Unrolled per part over char codes with no substrings, so the success path allocates nothing.
 */
export function parseIPv4(text: string, start: number, end: number, out: Uint8Array, offset: number): ParseProblem | undefined {
  let i = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end) return { index: i, reason: `${part} parts, need 4` };
      if (text.charCodeAt(i) !== 46) return unexpected(text, i);
      i++;
    }
    const partStart = i;
    let digit = i < end ? text.charCodeAt(i) - 48 : -1;
    if (digit < 0 || digit > 9) return i < end && text.charCodeAt(i) !== 46 ? unexpected(text, i) : { index: i, reason: `part ${part + 1} is empty` };
    let value = digit;
    i++;
    digit = i < end ? text.charCodeAt(i) - 48 : -1;
    if (digit >= 0 && digit <= 9) {
      if (value === 0) return { index: partStart, reason: `part ${part + 1} has a leading zero` };
      value = value * 10 + digit;
      i++;
      digit = i < end ? text.charCodeAt(i) - 48 : -1;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
        i++;
        if (value > 255) return { index: i - 1, reason: `part ${part + 1} is ${value}, above 255` };
        digit = i < end ? text.charCodeAt(i) - 48 : -1;
        if (digit >= 0 && digit <= 9) return { index: i, reason: `part ${part + 1} has more than 3 digits` };
      }
    }
    out[offset + part] = value;
  }
  if (i !== end) return text.charCodeAt(i) === 46 ? { index: i, reason: "more than 4 parts" } : unexpected(text, i);
  return undefined;
}
