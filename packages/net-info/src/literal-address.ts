import { isIP } from "node:net";
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
  const address = stripBrackets(host);
  const kind = isIP(address);
  if (kind !== 4 && kind !== 6) return undefined;
  if (family !== undefined && family !== kind) {
    throw new ResolveError(host, "NO_DATA", { reason: `${address} is an IPv${kind} address, not IPv${family}` });
  }
  return [{ address, family: kind }];
}
