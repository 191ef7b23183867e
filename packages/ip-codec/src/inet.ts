import { IPParseError, IPValueError, familyLength } from "./errors.js";
import { formatIPv4, formatIPv6 } from "./format.js";
import { parseDottedIPv4 } from "./parse-dotted-ipv4.js";
import { ipv4Word, parseIPv4 } from "./parse-ipv4.js";
import { parseIPv6 } from "./parse-ipv6.js";

/**
 * Text to packed bytes exactly as glibc inet_pton accepts it: family 4 takes a dotted quad
 * with no leading zeros, family 6 takes RFC 4291 text (with `::` and an embedded dotted
 * quad, no zone). Anything else throws IPParseError.
 */
export function inetPton(family: 4 | 6, text: string): Uint8Array {
  const out = new Uint8Array(familyLength(family));
  inetPtonInto(family, text, out);
  return out;
}

/**
 * inetPton without allocating: writes the 4 or 16 bytes at out[offset] and returns how many.
 * Throws IPParseError for bad text (IPv4 then leaves out untouched; IPv6 may have written
 * part of it) and RangeError when the bytes do not fit in out at offset.
 */
export function inetPtonInto(family: 4 | 6, text: string, out: Uint8Array, offset = 0): number {
  const length = familyLength(family);
  // Only an integer 0 to 2^32-1 equals itself as a uint32.
  if (offset !== offset >>> 0 || offset + length > out.length) throw new RangeError(`no room for ${length} bytes at offset ${offset}`);
  const problem = family === 4 ? parseIPv4(text, 0, text.length, out, offset) : parseIPv6(text, 0, text.length, out, offset);
  if (problem) throw new IPParseError(`IPv${family} address`, text, problem);
  return length;
}

/** A strict dotted quad (as inetPton(4) takes it) as an unsigned 32-bit integer: "127.0.0.1" is 2130706433. Throws IPParseError. */
export function parseIPv4ToNumber(text: string): number {
  const word = ipv4Word(text, 0, text.length);
  // A bad text: inetPton throws the IPParseError that says why.
  if (word < 0) inetPton(4, text);
  return word;
}

/** Packed bytes to text: a dotted quad, or RFC 5952 IPv6 (`::ffff:a.b.c.d` for IPv4-mapped). */
export function inetNtop(family: 4 | 6, bytes: Uint8Array): string {
  const length = familyLength(family);
  if (bytes.length !== length) throw new IPValueError(`IPv${family} takes ${length} bytes, not ${bytes.length}`);
  return family === 4 ? formatIPv4(bytes, 0) : formatIPv6(bytes);
}

/**
 * The legacy IPv4 forms glibc inet_aton accepts: `a`, `a.b`, `a.b.c`, `a.b.c.d`, each part
 * decimal, octal (leading 0) or hex (0x), so `127.1`, `0x7f.1` and `017700000001` are all
 * 127.0.0.1. Unlike inet_aton, nothing may follow the address.
 */
export function inetAton(text: string): Uint8Array {
  const out = new Uint8Array(4);
  const problem = parseDottedIPv4(text, 0, text.length, out, 0, false);
  if (problem) throw new IPParseError("IPv4 address", text, problem);
  return out;
}

/** 4 packed bytes to a dotted quad. */
export function inetNtoa(bytes: Uint8Array): string {
  return inetNtop(4, bytes);
}
