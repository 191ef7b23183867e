/** Base64 of a string's UTF-8 bytes (btoa alone takes only Latin-1). */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The AUTHENTICATE parameters that carry a SASL PLAIN response (`\0account\0password`):
 * 400-byte pieces, and `+` after a last piece of exactly 400 (IRCv3 sasl-3.1).
 */
export function saslPlainParams(account: string, password: string): string[] {
  const encoded = base64Utf8(`\0${account}\0${password}`);
  const pieces: string[] = [];
  for (let i = 0; i < encoded.length; i += 400) pieces.push(encoded.slice(i, i + 400));
  if (pieces.length === 0 || encoded.length % 400 === 0) pieces.push("+");
  return pieces;
}
