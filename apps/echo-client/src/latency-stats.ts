import { createHistogram, type RecordableHistogram } from "node:perf_hooks";

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

/** Round-trip times in an HDR histogram (node:perf_hooks): constant memory however many samples. */
export class LatencyStats {
  readonly #histogram: RecordableHistogram = createHistogram();

  /** Records one round trip of ms milliseconds (nanosecond resolution). */
  record(ms: number): void {
    this.#histogram.record(Math.max(1, Math.round(ms * 1e6)));
  }

  get count(): number {
    return this.#histogram.count;
  }

  summary(): LatencySummary {
    const h = this.#histogram;
    if (h.count === 0) return { count: 0, min: 0, avg: 0, max: 0, mdev: 0, p50: 0, p90: 0, p99: 0 };
    const ms = (ns: number): number => ns / 1e6;
    return {
      count: h.count,
      min: ms(h.min),
      avg: ms(h.mean),
      max: ms(h.max),
      mdev: ms(h.stddev),
      p50: ms(h.percentile(50)),
      p90: ms(h.percentile(90)),
      p99: ms(h.percentile(99)),
    };
  }
}
