const rfc1459Lower: Readonly<Record<string, string>> = { "[": "{", "]": "}", "\\": "|", "~": "^" };

/**
 * The form of a nick or channel name that compares equal to its other spellings, per the
 * server's CASEMAPPING (RFC 1459 by default: `[]\~` are the upper case of `{}|^`).
 */
export function foldName(name: string, casemapping = "rfc1459"): string {
  const lower = name.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));
  if (casemapping === "ascii") return lower;
  const special = casemapping === "strict-rfc1459" ? /[[\]\\]/g : /[[\]\\~]/g;
  return lower.replace(special, (ch) => rfc1459Lower[ch] ?? ch);
}
