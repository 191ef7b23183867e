/** Limits advertised in 005 and enforced on NICK and JOIN. */
export const NICKLEN = 30;
export const CHANNELLEN = 50;
export const TOPICLEN = 390;
export const AWAYLEN = 200;
export const KICKLEN = 255;

// A letter or one of []\`_^{|} first, then also digits and '-' (RFC 2812 2.3.1).
const nickPattern = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/;

/** True when name may be a nick: RFC 2812 characters, at most NICKLEN. */
export function isValidNick(name: string): boolean {
  return name.length > 0 && name.length <= NICKLEN && nickPattern.test(name);
}

/** True when name may be a channel: '#' or '&' first, no space, comma, BELL or NUL, at most CHANNELLEN. */
export function isValidChannel(name: string): boolean {
  if (name.length < 2 || name.length > CHANNELLEN || (name[0] !== "#" && name[0] !== "&")) return false;
  for (const ch of name) if (ch === "," || ch === ":" || ch === "\x07" || ch === "\0" || /\s/.test(ch)) return false;
  return true;
}

/** True when target names a channel rather than a nick. */
export function isChannelName(target: string): boolean {
  return target.startsWith("#") || target.startsWith("&");
}
