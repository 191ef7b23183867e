export interface RateLimiterOptions {
  /** Tokens added per second for each key; 0 or Infinity means no limit. */
  ratePerSecond: number;
  /** Most tokens a key can save up (the burst size); defaults to ratePerSecond. */
  burst?: number;
  /** Keys remembered at once; the least recently used is forgotten past this (memory bound). */
  maxKeys?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** A token bucket per key (a client address, a source ip:port): allows a steady rate with bursts. */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.#rate = options.ratePerSecond > 0 ? options.ratePerSecond : Number.POSITIVE_INFINITY;
    this.#burst = options.burst ?? this.#rate;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Keys tracked now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes `cost` tokens from key's bucket; false (and nothing taken) when there are not enough. */
  take(key: string, cost = 1): boolean {
    if (this.#rate === Number.POSITIVE_INFINITY) return true;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key);
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.#rate);
      bucket.updatedMs = now;
    } else {
      bucket = { tokens: this.#burst, updatedMs: now };
      if (this.#buckets.size >= this.#maxKeys) {
        const oldest = this.#buckets.keys().next();
        if (!oldest.done) this.#buckets.delete(oldest.value);
      }
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }
}
