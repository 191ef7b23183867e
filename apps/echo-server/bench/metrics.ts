// Turning per-round figures into the metrics of the result.
import { figure, median, ratio, times, type Metric, type Ratio, type RatioOptions } from "@netlab/bench-kit";

/**
 * ratio(a, b) over the rounds where a[i] / b[i] is a number: a server that echoed nothing in
 * a round (ncat stalls) would make it infinite, which a result cannot hold. Undefined for no such round.
 */
function roundRatio(a: readonly number[], b: readonly number[], options: RatioOptions = {}): { ratio: Ratio; left: number } | undefined {
  const kept = a.flatMap((x, i) => {
    const y = b[i] ?? Number.NaN;
    return Number.isFinite(x / y) ? [[x, y] as const] : [];
  });
  if (kept.length === 0) return undefined;
  return { ratio: ratio(kept.map(([x]) => x), kept.map(([, y]) => y), options), left: a.length - kept.length };
}

const leftOut = (left: number, rounds: number): string => (left > 0 ? `; ${left} of ${rounds} rounds left out (nothing echoed)` : "");

/** A target on a ratio: the median of the per-round ratios a[i]/b[i], ranged, with both sides' medians in the note. */
export function ratioMetric(name: string, unit: string, a: readonly number[], otherName: string, b: readonly number[], target: Metric["target"], better: RatioOptions["better"] = "higher"): Metric {
  const r = roundRatio(a, b, { better });
  if (!r) throw new Error(`${name}: no round measured both sides`);
  return {
    name,
    unit: "x",
    value: r.ratio.median,
    range: { min: r.ratio.min, max: r.ratio.max },
    target,
    note: `${figure(median(a))} vs ${otherName} ${figure(median(b))} ${unit}, medians of ${a.length} rounds${leftOut(r.left, a.length)}`,
  };
}

/** A figure (median of the rounds) beside another server's in the same rounds, with the per-round ratio. */
export function compared(name: string, unit: string, a: readonly number[], otherName: string, b: readonly number[]): Metric {
  const metric: Metric = { name, unit, value: median(a), alternative: { name: otherName, value: median(b) }, note: `medians of ${a.length} rounds` };
  const r = roundRatio(a, b);
  if (r) Object.assign(metric, { ratio: r.ratio, note: `${metric.note ?? ""}${leftOut(r.left, a.length)}` });
  return metric;
}

/** A single figure beside another measured once (no rounds to pair). */
export function versus(name: string, unit: string, value: number, otherName: string, other: number): Metric {
  return { name, unit, value, alternative: { name: otherName, value: other }, note: `${times(value / other)} of it` };
}
