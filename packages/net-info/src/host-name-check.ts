import { ResolveError } from "./resolve-error.js";

const PLAIN_NAME = /^[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?$/;

// A space or a control character (below 0x20, or DEL) can never be part of a host name.
function hasSpaceOrControl(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Rejects what no resolver could look up (empty, too long, empty labels, spaces or
 * control characters) before any query is sent. Underscores and IDN labels pass: DNS
 * carries them.
 */
export function checkHostName(host: string): void {
  // The common case, plain LDH labels, in one cheap test; anything else gets the full check.
  if (host.length <= 253 && PLAIN_NAME.test(host)) return;
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  let reason: string | undefined;
  if (name.length === 0) reason = "the name is empty";
  else if (name.length > 253) reason = `the name is ${name.length} characters long, at most 253 are allowed`;
  else if (hasSpaceOrControl(name)) reason = "the name contains a space or a control character";
  else {
    const labels = name.split(".");
    if (labels.some((label) => label.length === 0)) reason = "the name has an empty label";
    else if (labels.some((label) => label.length > 63)) reason = "a label is longer than 63 characters";
  }
  if (reason !== undefined) throw new ResolveError(host, "BAD_NAME", { reason: `not a valid host name: ${reason}` });
}
