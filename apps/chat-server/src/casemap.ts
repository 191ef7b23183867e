/** Folds a nick or channel name per CASEMAPPING=rfc1459: A-Z and [\]^ fold to a-z and {|}~. */
export function foldCase(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    out += String.fromCharCode((code >= 65 && code <= 90) || (code >= 91 && code <= 94) ? code + 32 : code);
  }
  return out;
}
