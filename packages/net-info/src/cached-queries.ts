import type { AnswerCache } from "./answer-cache.js";
import type { Channel, ChannelPool } from "./channel-pool.js";
import { deadlineError, withDeadline, type Deadline } from "./deadline.js";
import { toResolveError } from "./resolve-error.js";

export interface CachePolicy<T> {
  /** Seconds an answer may be kept. */
  ttlSeconds(value: T): number;
  /** A copy of the answer as served `seconds` after it was stored (TTLs counted down). */
  aged(value: T, seconds: number): T;
  negativeTtlMs: number;
}

export interface CacheCounters {
  hits: number;
  misses: number;
}

// One query in progress, shared by every caller asking the same question meanwhile.
interface Flight<T> {
  promise: Promise<T>;
  cancel: () => void;
  waiters: number;
  settled: boolean;
}

/**
 * Answers served from the cache while their TTL lasts; a miss starts one query that every
 * caller asking meanwhile shares, each within its own deadline. The query is cancelled
 * when the last of them gives up.
 */
export class CachedQueries<T> {
  readonly #pool: ChannelPool | undefined;
  readonly #cache: AnswerCache<T>;
  readonly #policy: CachePolicy<T>;
  readonly #counters: CacheCounters;
  readonly #flights = new Map<string, Flight<T>>();

  constructor(pool: ChannelPool | undefined, cache: AnswerCache<T>, policy: CachePolicy<T>, counters: CacheCounters) {
    this.#pool = pool;
    this.#cache = cache;
    this.#policy = policy;
    this.#counters = counters;
  }

  get size(): number {
    return this.#cache.size;
  }

  clear(): void {
    this.#cache.clear();
  }

  /** Counts answers served by hit() without ask(). */
  countHits(hits: number): void {
    this.#counters.hits += hits;
  }

  /** The cached answer (TTLs counted down) or failure, or undefined on a miss; not counted. */
  hit(key: string): PromiseSettledResult<T> | undefined {
    const cached = this.#cache.get(key);
    if (cached === undefined) return undefined;
    if (!cached.ok) return { status: "rejected", reason: cached.error };
    const ageSeconds = Math.floor((this.#cache.now() - cached.storedAt) / 1000);
    return { status: "fulfilled", value: this.#policy.aged(cached.value, ageSeconds) };
  }

  ask(key: string, work: (channel: Channel | undefined) => Promise<T>, deadline: Deadline): Promise<T> {
    if (deadline.signal?.aborted) return Promise.reject(deadlineError(deadline, "ABORTED"));
    const cached = this.hit(key);
    if (cached !== undefined) this.#counters.hits++;
    if (cached !== undefined) return cached.status === "fulfilled" ? Promise.resolve(cached.value) : Promise.reject(cached.reason);
    this.#counters.misses++;
    const flight = this.#flights.get(key) ?? this.#start(key, work, deadline);
    flight.waiters++;
    return withDeadline(
      flight.promise,
      deadline,
      () => {
        flight.waiters--;
        if (flight.waiters === 0 && !flight.settled) flight.cancel();
      },
      // Each waiter gets its own copy; the cache keeps the original.
      (value) => this.#policy.aged(value, 0),
    );
  }

  #start(key: string, work: (channel: Channel | undefined) => Promise<T>, deadline: Deadline): Flight<T> {
    const pool = this.#pool;
    const own = deadline.signal !== undefined;
    const channel = pool?.take(own);
    let given = false;
    // Returns the channel once, cancelling its query when nobody waits for it any more.
    const giveBack = (cancel: boolean): void => {
      if (pool === undefined || channel === undefined || given) return;
      given = true;
      pool.give(channel, own, cancel);
    };
    const flight: Flight<T> = {
      waiters: 0,
      settled: false,
      promise: Promise.resolve() as Promise<T>,
      cancel: () => {
        // Nobody waits any more: later callers must not join a query being cancelled.
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
        giveBack(true);
      },
    };
    const settle = (): number => {
      flight.settled = true;
      giveBack(false);
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      return this.#cache.now();
    };
    flight.promise = work(channel).then(
      (value) => {
        this.#cache.set(key, { ok: true, value, storedAt: settle() }, this.#policy.ttlSeconds(value) * 1000);
        return value;
      },
      (error: unknown) => {
        const storedAt = settle();
        const failure = toResolveError(error, deadline.host, deadline.operation);
        if (failure.code === "NOT_FOUND" || failure.code === "NO_DATA") {
          this.#cache.set(key, { ok: false, error: failure, storedAt }, this.#policy.negativeTtlMs);
        }
        throw failure;
      },
    );
    // A failure nobody waits for any more is not an unhandled rejection.
    flight.promise.catch(() => undefined);
    this.#flights.set(key, flight);
    return flight;
  }
}
