import { IPParseError, unexpected } from "./errors.js";
import { HEX2 } from "./format.js";
import { hexDigit } from "./hex-digit.js";

/** Lowercase hex of packed address bytes, as Python's `hexlify` prints them: `7f000001`. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += HEX2[byte];
  return out;
}

/** Bytes from hex text (either case, two digits a byte, no prefix or separators): `7f000001`. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new IPParseError("hex", hex, { index: hex.length, reason: "odd number of digits" });
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < hex.length; i++) {
    const digit = hexDigit(hex.charCodeAt(i));
    if (digit < 0) throw new IPParseError("hex", hex, unexpected(hex, i));
    // The byte starts at 0; its first digit moves to the high half when the second arrives.
    out[i >> 1] = ((out[i >> 1] ?? 0) << 4) | digit;
  }
  return out;
}
