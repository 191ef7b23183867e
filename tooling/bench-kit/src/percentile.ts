// The one percentile definition of netlab's benchmarks.

function sortedCopy(values: readonly number[]): number[] {
  for (const value of values) if (Number.isNaN(value)) throw new RangeError("NaN among the values");
  return [...values].sort((a, b) => a - b);
}

function rankIndex(count: number, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of 0..100: ${p}`);
  return Math.max(1, Math.ceil((p / 100) * count)) - 1;
}

/**
 * The p-th percentile (0 <= p <= 100) by nearest rank: on a sorted copy of the values, the
 * one at rank ceil(p/100 * n) (1-based; rank 1 for p = 0). It is always one of the values,
 * the smallest with at least p% of the values at or below it: p50 of [1, 2, 3, 4] is 2,
 * p99 of 100 values is the 99th smallest, p100 the largest. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  const index = rankIndex(values.length, p);
  if (values.length === 0) return Number.NaN;
  return sortedCopy(values)[index] as number;
}

/**
 * The median for summing up a few rounds: the middle value, or the mean of the two middle
 * values for an even count (unlike percentile(values, 50), which picks the lower one).
 * NaN for no values.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Count, extremes, mean and the p50/p90/p99 nearest-rank percentiles; every figure but count is NaN for no values. */
export function summarize(values: readonly number[]): Summary {
  const count = values.length;
  if (count === 0) return { count, min: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const sorted = sortedCopy(values);
  const at = (p: number): number => sorted[rankIndex(count, p)] as number;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count, min: sorted[0] as number, p50: at(50), p90: at(90), p99: at(99), max: sorted[count - 1] as number, mean: sum / count };
}
