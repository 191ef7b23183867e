import { createResolver, type LookupOptions, type ReverseOptions } from "./resolver.js";
import type { ResolvedAddress } from "./resolved-address.js";

export interface ResolveOptions extends LookupOptions {
  /** DNS servers to query directly, e.g. ["127.0.0.1:5353"]; the system resolver without. */
  servers?: readonly string[];
}

export interface ReverseLookupOptions extends ReverseOptions {
  servers?: readonly string[];
}

/**
 * Every address of host, IPv4 and IPv6 unless `family` says which. Through getaddrinfo
 * (/etc/hosts and nsswitch apply) by default; with `servers` by asking those DNS servers
 * for A and AAAA records, following CNAMEs, with TTLs. Rejects with a ResolveError.
 * For many lookups, or a cache, use createResolver().
 */
export async function resolve(host: string, options: ResolveOptions = {}): Promise<ResolvedAddress[]> {
  const { servers, timeoutMs, ...lookup } = options;
  return createResolver({ ...(servers && { servers }), ...(timeoutMs && { timeoutMs }) }).resolve(host, lookup);
}

/** PTR names of an IPv4 or IPv6 address (getnameinfo by default, or `servers`). */
export async function reverse(address: string, options: ReverseLookupOptions = {}): Promise<string[]> {
  const { servers, timeoutMs, ...lookup } = options;
  return createResolver({ ...(servers && { servers }), ...(timeoutMs && { timeoutMs }) }).reverse(address, lookup);
}
