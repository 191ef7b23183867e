import { ResolveError, toResolveError } from "./resolve-error.js";
import type { ResolvedAddress } from "./resolved-address.js";

// Which failure to report when both families failed: the name not existing says most.
const rank = (error: ResolveError): number => (error.code === "NOT_FOUND" ? 0 : error.code === "NO_DATA" ? 2 : 1);

/**
 * The answer for "any family" from the A and AAAA answers: every address found, as
 * getaddrinfo does, even when the other family failed; otherwise the most telling error.
 */
export function combineFamilies(host: string, results: PromiseSettledResult<ResolvedAddress[]>[]): ResolvedAddress[] {
  const addresses: ResolvedAddress[] = [];
  for (const result of results) if (result.status === "fulfilled") addresses.push(...result.value);
  if (addresses.length > 0) return addresses;
  const errors = results
    .flatMap((result) => (result.status === "rejected" ? [toResolveError(result.reason, host)] : []))
    .sort((a, b) => rank(a) - rank(b));
  const [first] = errors;
  if (first === undefined) throw new ResolveError(host, "NO_DATA", { reason: "the host has no addresses" });
  if (first.code === "NO_DATA") throw new ResolveError(host, "NO_DATA", { reason: "the host has no addresses", cause: first });
  throw first;
}
