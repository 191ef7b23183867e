/** Lowercase hex of packed address bytes, as Python's `hexlify` prints them: `7f000001`. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
