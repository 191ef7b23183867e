import { type ParseProblem, unexpected } from "./errors.js";

/**
 * Strict dotted-quad decimal, as glibc inet_pton(AF_INET) accepts it: exactly four parts of
 * 0-255, no leading zeros, nothing else. Writes 4 bytes at out[offset]; returns a problem or undefined.
 * Unrolled per part over char codes with no substrings, so the success path allocates nothing.
 */
export function parseIPv4(text: string, start: number, end: number, out: Uint8Array, offset: number): ParseProblem | undefined {
  let i = start;
  let word = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || text.charCodeAt(i) !== 46) return problemAt(text, i, part);
      i++;
    }
    let digit = i < end ? text.charCodeAt(i) - 48 : -1;
    if (digit < 0 || digit > 9) return problemAt(text, i, part);
    let value = digit;
    i++;
    digit = i < end ? text.charCodeAt(i) - 48 : -1;
    if (digit >= 0 && digit <= 9) {
      if (value === 0) return { index: i - 1, reason: `part ${part + 1} has a leading zero` };
      value = value * 10 + digit;
      i++;
      digit = i < end ? text.charCodeAt(i) - 48 : -1;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
        if (value > 255) return { index: i, reason: `part ${part + 1} is ${value}, above 255` };
        i++;
      }
    }
    word = (word << 8) | value;
  }
  if (i !== end) return problemAt(text, i, 4);
  out[offset] = word >>> 24;
  out[offset + 1] = word >>> 16;
  out[offset + 2] = word >>> 8;
  out[offset + 3] = word;
  return undefined;
}

/** Why the text is bad at index, where a dot (after `parts` parts) or a part was due. Off the hot path. */
function problemAt(text: string, index: number, parts: number): ParseProblem {
  const c = text.charCodeAt(index);
  if (c >= 48 && c <= 57) return { index, reason: `part ${parts} has more than 3 digits` };
  if (c !== 46 && index < text.length) return unexpected(text, index);
  return { index, reason: parts === 4 ? "more than 4 parts" : `part ${parts + 1} is missing or empty` };
}
