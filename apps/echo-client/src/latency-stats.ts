export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  min: number;
  avg: number;
  max: number;
  /** Standard deviation, as ping's mdev. */
  mdev: number;
  p50: number;
  p90: number;
  p99: number;
}

/** A LatencyStats' samples as plain data (see state() and merge()). */
export interface LatencyState {
  counts: Float64Array;
  count: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
}

// Log-linear buckets: values below 2^(SUB_BITS+1) ns exact, above them 2^SUB_BITS buckets per power of two (under 0.4% wide).
const SUB_BITS = 8;
const SUB = 2 ** SUB_BITS;
// Round trips are clamped to 2^42 ns (73 minutes).
const MAX_NS = 2 ** 42;
const BUCKETS = (42 - SUB_BITS) * SUB + 2 * SUB;
const TWO_32 = 2 ** 32;

function bitLength(value: number): number {
  return value < TWO_32 ? 32 - Math.clz32(value) : 64 - Math.clz32(Math.floor(value / TWO_32));
}

/**
 * Round-trip times in a preallocated log-linear histogram: constant memory however many
 * samples, and a record is a few arithmetic steps in JavaScript (no native call per sample,
 * which matters to the load generator).
 */
export class LatencyStats {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;
  // Welford's running mean and sum of squared deviations, in ns.
  #mean = 0;
  #m2 = 0;

  /** Records one round trip of ms milliseconds (nanosecond resolution). */
  record(ms: number): void {
    const ns = Math.min(MAX_NS, Math.max(1, Math.round(ms * 1e6)));
    const shift = Math.max(0, bitLength(ns) - SUB_BITS - 1);
    const index = shift * SUB + Math.floor(ns / 2 ** shift);
    this.#counts[index] = (this.#counts[index] ?? 0) + 1;
    const n = ++this.#count;
    if (ns < this.#min) this.#min = ns;
    if (ns > this.#max) this.#max = ns;
    const delta = ns - this.#mean;
    this.#mean += delta / n;
    this.#m2 += delta * (ns - this.#mean);
  }

  get count(): number {
    return this.#count;
  }

  /** Everything recorded, as plain data another thread can send back (postMessage) and merge. */
  state(): LatencyState {
    return { counts: this.#counts.slice(), count: this.#count, min: this.#min, max: this.#max, mean: this.#mean, m2: this.#m2 };
  }

  /** Adds the samples of another histogram's state, as if they had been recorded here. */
  merge(other: LatencyState): void {
    if (other.count === 0) return;
    for (let index = 0; index < BUCKETS; index++) this.#counts[index] = (this.#counts[index] ?? 0) + (other.counts[index] ?? 0);
    // Chan et al.'s pairwise update of the mean and the sum of squared deviations.
    const n = this.#count + other.count;
    const delta = other.mean - this.#mean;
    this.#m2 += other.m2 + (delta * delta * this.#count * other.count) / n;
    this.#mean += (delta * other.count) / n;
    this.#count = n;
    this.#min = Math.min(this.#min, other.min);
    this.#max = Math.max(this.#max, other.max);
  }

  summary(): LatencySummary {
    if (this.#count === 0) return { count: 0, min: 0, avg: 0, max: 0, mdev: 0, p50: 0, p90: 0, p99: 0 };
    const ms = (ns: number): number => ns / 1e6;
    return {
      count: this.#count,
      min: ms(this.#min),
      avg: ms(this.#mean),
      max: ms(this.#max),
      mdev: ms(Math.sqrt(this.#m2 / this.#count)),
      p50: ms(this.#percentile(50)),
      p90: ms(this.#percentile(90)),
      p99: ms(this.#percentile(99)),
    };
  }

  /** The value below which percent of the samples fall (middle of its bucket, within min..max). */
  #percentile(percent: number): number {
    const rank = Math.max(1, Math.ceil((percent / 100) * this.#count));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.#counts[index] ?? 0;
      if (seen < rank) continue;
      const shift = Math.max(0, Math.floor(index / SUB) - 1);
      const low = (index - shift * SUB) * 2 ** shift;
      return Math.min(this.#max, Math.max(this.#min, low + (2 ** shift - 1) / 2));
    }
    return this.#max;
  }
}
