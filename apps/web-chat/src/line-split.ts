/** Bytes the server may use for `user@host` in the prefix it relays our line with (irssi's MAX_USERHOST_LEN). */
export const maxUserhostBytes = 63;

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** UTF-8 length of text in bytes. */
export function byteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Length(ch.codePointAt(0) as number);
  return bytes;
}

/**
 * Bytes of text that fit one PRIVMSG or NOTICE as others receive it,
 * `:nick!user@host PRIVMSG target :text` within 510 bytes plus CR LF, counting 63 bytes
 * for `user@host` as irssi does; `/me` also spends 9 on `\x01ACTION ` and `\x01`.
 */
export function messageRoom(nick: string, command: string, target: string, action = false): number {
  const overhead = byteLength(`:${nick}!`) + maxUserhostBytes + byteLength(` ${command} ${target} :`) + (action ? 9 : 0);
  return Math.max(510 - overhead, 32);
}

/**
 * Splits text into pieces of at most maxBytes UTF-8 bytes, never inside a character: at the
 * last space when there is one in the second half of a piece (the space is dropped), else at
 * the last character that fits.
 */
export function splitText(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (byteLength(rest) > maxBytes) {
    let bytes = 0;
    let end = 0;
    let lastSpace = -1;
    for (const ch of rest) {
      const size = utf8Length(ch.codePointAt(0) as number);
      if (ch === " ") lastSpace = end;
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += ch.length;
    }
    if (lastSpace > end / 2) {
      pieces.push(rest.slice(0, lastSpace));
      rest = rest.slice(lastSpace + 1);
    } else {
      pieces.push(rest.slice(0, end));
      rest = rest.slice(end);
    }
  }
  pieces.push(rest);
  return pieces;
}
