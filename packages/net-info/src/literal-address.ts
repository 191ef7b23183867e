import { isIPv4, isIPv6 } from "node:net";
import { ResolveError } from "./resolve-error.js";

/** "[::1]" -> "::1"; anything else unchanged. */
export function stripBrackets(text: string): string {
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

/**
 * A literal IP address resolves to itself without a query; undefined for a name.
 * Asking for the other family is NO_DATA, as it would be for a name.
 */
export function literalAddress(host: string, family: 4 | 6 | undefined): { address: string; family: 4 | 6 }[] | undefined {
  // A name ending in a letter is no IPv4 address, and IPv6 needs a colon: skip the regexes.
  const last = host.charCodeAt(host.length - 1);
  if (last > 0x39 && last !== 0x5d && !host.includes(":")) return undefined;
  const address = stripBrackets(host);
  // isIPv6 is a costly regular expression: only text with a colon can be IPv6.
  const kind = address.includes(":") ? (isIPv6(address) ? 6 : 0) : isIPv4(address) ? 4 : 0;
  if (kind === 0) return undefined;
  if (family !== undefined && family !== kind) {
    throw new ResolveError(host, "NO_DATA", { reason: `${address} is an IPv${kind} address, not IPv${family}` });
  }
  return [{ address, family: kind }];
}
