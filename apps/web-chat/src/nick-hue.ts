/** A hue (0-359) for a nick, the same on every device: its colour in the message list. */
export function nickHue(nick: string): number {
  let hash = 0;
  for (const ch of nick.toLowerCase()) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) as number)) | 0;
  return Math.abs(hash) % 360;
}
