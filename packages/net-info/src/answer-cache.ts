/** What a cache lookup found: a stored answer or a stored failure, and its age. */
export type CachedOutcome<T> = { ok: true; value: T; storedAt: number } | { ok: false; error: Error; storedAt: number };

interface Entry<T> {
  outcome: CachedOutcome<T>;
  expiresAt: number;
}

/**
 * Answers and failures kept until their TTL runs out; beyond maxEntries the oldest stored
 * go first. (Reordering on every hit, for LRU, made a hit several times slower.)
 */
export class AnswerCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  now(): number {
    return this.#now();
  }

  get(key: string): CachedOutcome<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry.outcome;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, outcome: CachedOutcome<T>, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { outcome, expiresAt: outcome.storedAt + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
