import { AnswerCache } from "./answer-cache.js";
import { ChannelPool, type Channel } from "./channel-pool.js";
import { combineFamilies } from "./combine-families.js";
import { deadlineError, withDeadline, type Deadline } from "./deadline.js";
import { queryAddresses, queryNames } from "./dns-query.js";
import { checkHostName } from "./host-name-check.js";
import { literalAddress, stripBrackets } from "./literal-address.js";
import { ResolveError, toResolveError } from "./resolve-error.js";
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

// One query in progress, shared by every caller asking the same question meanwhile.
interface Flight<T> {
  promise: Promise<T>;
  cancel: () => void;
  waiters: number;
  settled: boolean;
}

interface Store<T> {
  cache: AnswerCache<T> | undefined;
  flights: Map<string, Flight<T>>;
  ttlSeconds: (value: T) => number;
  aged: (value: T, seconds: number) => T;
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
  const stats = { hits: 0, misses: 0 };

  const addressStore: Store<ResolvedAddress[]> = {
    cache: settings && new AnswerCache(settings.maxEntries, settings.now),
    flights: new Map(),
    ttlSeconds: (addresses) => {
      const ttls = addresses.flatMap(({ ttl }) => (ttl === undefined ? [] : [ttl]));
      return ttls.length === 0 ? (settings?.defaultTtl ?? 0) : Math.min(settings?.maxTtl ?? 0, ...ttls);
    },
    aged: (addresses, seconds) =>
      addresses.map((entry) => (entry.ttl === undefined ? entry : { ...entry, ttl: Math.max(0, entry.ttl - seconds) })),
  };
  const nameStore: Store<string[]> = {
    cache: settings && new AnswerCache(settings.maxEntries, settings.now),
    flights: new Map(),
    ttlSeconds: () => settings?.defaultTtl ?? 0,
    aged: (names) => names,
  };

  function start<T>(store: Store<T>, key: string, run: (channel: Channel | undefined) => Promise<T>, deadline: Deadline): Flight<T> {
    const channel = pool?.acquire();
    const cache = store.cache;
    const flight: Flight<T> = {
      waiters: 0,
      settled: false,
      promise: Promise.resolve() as Promise<T>,
      cancel: () => {
        // Nobody waits any more: later callers must not join a query being cancelled.
        if (store.flights.get(key) === flight) store.flights.delete(key);
        channel?.cancel();
      },
    };
    const storedAt = (): number => cache?.now() ?? 0;
    flight.promise = run(channel)
      .then(
        (value) => {
          cache?.set(key, { ok: true, value, storedAt: storedAt() }, store.ttlSeconds(value) * 1000);
          return value;
        },
        (error: unknown) => {
          const failure = toResolveError(error, deadline.host, deadline.operation);
          if (failure.code === "NOT_FOUND" || failure.code === "NO_DATA") {
            cache?.set(key, { ok: false, error: failure, storedAt: storedAt() }, (settings?.negativeTtl ?? 0) * 1000);
          }
          throw failure;
        },
      )
      .finally(() => {
        flight.settled = true;
        if (channel) pool?.release(channel);
        if (store.flights.get(key) === flight) store.flights.delete(key);
      });
    // A failure nobody waits for any more is not an unhandled rejection.
    flight.promise.catch(() => undefined);
    if (cache) store.flights.set(key, flight);
    return flight;
  }

  async function ask<T>(store: Store<T>, key: string, run: (channel: Channel | undefined) => Promise<T>, deadline: Deadline): Promise<T> {
    if (deadline.signal?.aborted) throw deadlineError(deadline, "ABORTED");
    const cached = store.cache?.get(key);
    if (cached !== undefined) {
      stats.hits++;
      if (!cached.ok) throw cached.error;
      const ageSeconds = Math.floor(((store.cache?.now() ?? 0) - cached.storedAt) / 1000);
      return store.aged(cached.value, ageSeconds);
    }
    if (store.cache) stats.misses++;
    const flight = store.flights.get(key) ?? start(store, key, run, deadline);
    flight.waiters++;
    try {
      return await withDeadline(flight.promise, deadline);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.settled) flight.cancel();
    }
  }

  function askFamily(host: string, family: 4 | 6, deadline: Deadline): Promise<ResolvedAddress[]> {
    const key = `${family === 4 ? "A" : "AAAA"} ${host.toLowerCase()}`;
    return ask(addressStore, key, (channel) => queryAddresses(channel as Channel, host, family), deadline);
  }

  return {
    async resolve(host, lookup = {}) {
      const literal = literalAddress(host, lookup.family);
      if (literal !== undefined) return literal;
      checkHostName(host);
      const deadline: Deadline = { host, operation: "resolve", timeoutMs: lookup.timeoutMs ?? timeoutMs, signal: lookup.signal };
      if (pool === undefined) {
        const key = `system${lookup.family ?? ""} ${host.toLowerCase()}`;
        return ask(addressStore, key, () => systemAddresses(host, lookup.family), deadline);
      }
      if (lookup.family !== undefined) return askFamily(host, lookup.family, deadline);
      const results = await Promise.allSettled([askFamily(host, 4, deadline), askFamily(host, 6, deadline)]);
      return combineFamilies(host, results);
    },

    async reverse(address, lookup = {}) {
      const bare = stripBrackets(address);
      if (isIP(bare) === 0) throw new ResolveError(address, "BAD_ADDRESS", { operation: "reverse" });
      const deadline: Deadline = { host: bare, operation: "reverse", timeoutMs: lookup.timeoutMs ?? timeoutMs, signal: lookup.signal };
      const key = `${pool === undefined ? "system " : ""}PTR ${bare.toLowerCase()}`;
      return ask(nameStore, key, (channel) => (channel ? queryNames(channel, bare) : systemNames(bare)), deadline);
    },

    cacheStats: () => ({ ...stats, entries: (addressStore.cache?.size ?? 0) + (nameStore.cache?.size ?? 0) }),
    clearCache: () => {
      addressStore.cache?.clear();
      nameStore.cache?.clear();
    },
  };
}
