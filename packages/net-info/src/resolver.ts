import { AnswerCache } from "./answer-cache.js";
import { ChannelPool, type Channel } from "./channel-pool.js";
import { combineFamilies } from "./combine-families.js";
import { CachedQueries, type CachePolicy } from "./cached-queries.js";
import type { Deadline } from "./deadline.js";
import { queryAddresses, queryBothFamilies, queryNames, queryRecords, shapeBothFamilies, shapeRecords } from "./dns-query.js";
import { checkHostName } from "./host-name-check.js";
import { literalAddress, stripBrackets } from "./literal-address.js";
import { ResolveError } from "./resolve-error.js";
import { runQuery } from "./run-query.js";
import type { ResolvedAddress } from "./resolved-address.js";
import { formatServerAddress, parseServerAddress } from "./server-address.js";
import { systemAddresses, systemNames } from "./system-lookup.js";
import { isIP } from "node:net";

export interface CacheOptions {
  /** Most answers kept; the least recently used go first. Default 10,000. */
  maxEntries?: number;
  /** Seconds to keep "no such host" and "no data" answers. Default 30. */
  negativeTtl?: number;
  /** Upper bound in seconds on any record's TTL. Default 3,600. */
  maxTtl?: number;
  /** Seconds to keep answers that carry no TTL (system resolver, PTR names). Default 30. */
  defaultTtl?: number;
  /** Clock in milliseconds; Date.now unless a test needs its own. */
  now?: () => number;
}

export interface ResolverOptions {
  /**
   * DNS servers to query directly ("127.0.0.1:5353", "[::1]:53", "10.0.0.1"). Without
   * them the system resolver (getaddrinfo) answers.
   */
  servers?: readonly string[];
  /** Deadline of each lookup in milliseconds. Default 5,000. */
  timeoutMs?: number;
  /** Keep answers for their TTL, and failures for `negativeTtl`. Off by default. */
  cache?: boolean | CacheOptions;
}

export interface LookupOptions {
  /** Only IPv4 (4) or IPv6 (6) addresses; both by default. */
  family?: 4 | 6;
  /** This lookup's deadline in milliseconds, instead of the resolver's. */
  timeoutMs?: number;
  /** Stops the lookup: it rejects with code ABORTED. */
  signal?: AbortSignal;
}

export type ReverseOptions = Omit<LookupOptions, "family">;

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
}

export interface Resolver {
  /** Every address of host; a literal IP address resolves to itself. */
  resolve(host: string, options?: LookupOptions): Promise<ResolvedAddress[]>;
  /** PTR names of an IPv4 or IPv6 address. */
  reverse(address: string, options?: ReverseOptions): Promise<string[]>;
  /** Counts of cache hits and misses (zero without a cache). */
  cacheStats(): CacheStats;
  clearCache(): void;
}

const DEFAULT_TIMEOUT_MS = 5_000;

function cacheSettings(cache: ResolverOptions["cache"]): Required<CacheOptions> | undefined {
  if (cache === undefined || cache === false) return undefined;
  const given = cache === true ? {} : cache;
  return {
    maxEntries: given.maxEntries ?? 10_000,
    negativeTtl: given.negativeTtl ?? 30,
    maxTtl: given.maxTtl ?? 3_600,
    defaultTtl: given.defaultTtl ?? 30,
    now: given.now ?? Date.now,
  };
}

/**
 * A resolver for the system's configuration or for given DNS servers, with an optional
 * cache that honours TTLs, so a daemon can look names up in a hot path. Concurrent
 * lookups of one name share one query when the cache is on.
 */
export function createResolver(options: ResolverOptions = {}): Resolver {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const servers = options.servers?.map((server) => formatServerAddress(parseServerAddress(server)));
  const pool = servers === undefined ? undefined : new ChannelPool(servers, timeoutMs);
  const settings = cacheSettings(options.cache);
  const counters = { hits: 0, misses: 0 };

  const addressPolicy: CachePolicy<ResolvedAddress[]> | undefined = settings && {
    ttlSeconds: (addresses) => {
      const ttls = addresses.flatMap(({ ttl }) => (ttl === undefined ? [] : [ttl]));
      return ttls.length === 0 ? settings.defaultTtl : Math.min(settings.maxTtl, ...ttls);
    },
    // Fresh objects each time: a caller that changes its answer must not change the cache.
    aged: (addresses, seconds) =>
      addresses.map(({ address, family, ttl }) => (ttl === undefined ? { address, family } : { address, family, ttl: Math.max(0, ttl - seconds) })),
    negativeTtlMs: settings.negativeTtl * 1000,
  };
  const cacheOf = <T>(policy: CachePolicy<T> | undefined): CachedQueries<T> | undefined =>
    settings && policy && new CachedQueries<T>(pool, new AnswerCache<T>(settings.maxEntries, settings.now), policy, counters);
  // One cache per question type, keyed by the lower-cased name alone: building a combined
  // key string on every hit cost more than the rest of the lookup.
  const caches = {
    4: cacheOf(addressPolicy),
    6: cacheOf(addressPolicy),
    system: cacheOf(addressPolicy),
    names: cacheOf<string[]>(settings && { ttlSeconds: () => settings.defaultTtl, aged: (names) => [...names], negativeTtlMs: settings.negativeTtl * 1000 }),
  };

  function askFamily(host: string, family: 4 | 6, deadline: Deadline): Promise<ResolvedAddress[]> {
    const cache = caches[family];
    if (cache === undefined) return runQuery(pool, (channel) => queryRecords(channel as Channel, host, family), deadline, shapeRecords[family]);
    return cache.ask(host.toLowerCase(), (channel) => queryAddresses(channel as Channel, host, family), deadline);
  }

  // The answer when the cache holds every family asked for, or undefined.
  function cachedAnswer(host: string, family: 4 | 6 | undefined): Promise<ResolvedAddress[]> | undefined {
    const cache = caches[family ?? 4];
    if (cache === undefined) return undefined;
    const key = host.toLowerCase();
    const first = cache.hit(key);
    if (first === undefined) return undefined;
    if (family !== undefined) {
      cache.countHits(1);
      return first.status === "fulfilled" ? Promise.resolve(first.value) : Promise.reject(first.reason);
    }
    const second = caches[6]?.hit(key);
    if (second === undefined) return undefined;
    cache.countHits(2);
    try {
      return Promise.resolve(combineFamilies(host, [first, second]));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function resolve(host: string, lookup: LookupOptions): Promise<ResolvedAddress[]> {
    const { family } = lookup;
    // Only valid names are ever cached, so a hit needs no checks: the hot path.
    if (pool !== undefined) {
      const hit = cachedAnswer(host, family);
      if (hit !== undefined) return hit;
    }
    const literal = literalAddress(host, family);
    if (literal !== undefined) return Promise.resolve(literal);
    checkHostName(host);
    const deadline: Deadline = { host, operation: "resolve", timeoutMs: lookup.timeoutMs ?? timeoutMs, signal: lookup.signal };
    if (pool === undefined) {
      const work = (): Promise<ResolvedAddress[]> => systemAddresses(host, family);
      const key = `${family ?? 0} ${host.toLowerCase()}`;
      return caches.system ? caches.system.ask(key, work, deadline) : runQuery(undefined, work, deadline);
    }
    if (family !== undefined) return askFamily(host, family, deadline);
    const combine = (results: PromiseSettledResult<ResolvedAddress[]>[]): ResolvedAddress[] => combineFamilies(host, results);
    if (caches[4]) return Promise.allSettled([askFamily(host, 4, deadline), askFamily(host, 6, deadline)]).then(combine);
    // Uncached: both queries on one channel under one deadline, shaped in one step.
    return runQuery(pool, (channel) => queryBothFamilies(channel as Channel, host), deadline, (both) => combine(shapeBothFamilies(both)));
  }

  function reverse(address: string, lookup: ReverseOptions): Promise<string[]> {
    const bare = stripBrackets(address);
    if (isIP(bare) === 0) throw new ResolveError(address, "BAD_ADDRESS", { operation: "reverse" });
    const deadline: Deadline = { host: bare, operation: "reverse", timeoutMs: lookup.timeoutMs ?? timeoutMs, signal: lookup.signal };
    const work = (channel: Channel | undefined): Promise<string[]> => (channel ? queryNames(channel, bare) : systemNames(bare));
    const key = bare.toLowerCase();
    return caches.names ? caches.names.ask(key, work, deadline) : runQuery(pool, work, deadline);
  }

  // Invalid input throws inside the helpers above; callers always get a rejected promise.
  return {
    resolve(host, lookup = {}) {
      try {
        return resolve(host, lookup);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    reverse(address, lookup = {}) {
      try {
        return reverse(address, lookup);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    cacheStats: () => ({ ...counters, entries: Object.values(caches).reduce((sum, cache) => sum + (cache?.size ?? 0), 0) }),
    clearCache: () => {
      for (const cache of Object.values(caches)) cache?.clear();
    },
  };
}
