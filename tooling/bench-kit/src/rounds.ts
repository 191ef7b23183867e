// Alternating rounds: variants measured in turns, so slow drifts of the machine's load hit each alike.
import { median } from "./percentile.js";

/**
 * The order of the variants in each of `rounds` rounds: as given in rounds 0, 2, 4...,
 * reversed in rounds 1, 3, 5... (AB BA AB..., ABC CBA ABC...). Over each pair of rounds
 * every variant takes mirrored places, which cancels a load that rises or falls steadily.
 */
export function alternatingOrder<T>(variants: readonly T[], rounds: number): T[][] {
  if (variants.length < 2) throw new RangeError("alternating rounds need two or more variants");
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`not a number of rounds: ${rounds}`);
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? [...variants] : [...variants].reverse()));
}

export interface Variant<R> {
  name: string;
  run: (round: number) => Promise<R> | R;
}

/** Runs the variants one after the other in alternatingOrder over `rounds` rounds; each name's results in round order. */
export async function runAlternating<R>(variants: readonly Variant<R>[], rounds: number): Promise<Map<string, R[]>> {
  const results = new Map<string, R[]>();
  for (const variant of variants) {
    if (results.has(variant.name)) throw new RangeError(`two variants named ${variant.name}`);
    results.set(variant.name, []);
  }
  const order = alternatingOrder(variants, rounds);
  for (const [round, variantsInRound] of order.entries()) {
    for (const variant of variantsInRound) results.get(variant.name)?.push(await variant.run(round));
  }
  return results;
}

export interface Ratio {
  /** best(a) / best(b): each side's best round, whichever rounds they were. */
  best: number;
  /** The median of the per-round ratios a[i] / b[i] (mean of the two middle ones for an even count). */
  median: number;
  /** The smallest per-round ratio. */
  min: number;
  /** The largest per-round ratio. */
  max: number;
}

export interface RatioOptions {
  /** Which way is better, for `best`: "higher" (rates, the default) or "lower" (latencies, CPU per message). */
  better?: "higher" | "lower";
}

/**
 * a over b, round by round: a[i] and b[i] must come from the same round (neighbouring
 * measurements see the same background load). Throws on empty or unequal lists.
 */
export function ratio(a: readonly number[], b: readonly number[], options: RatioOptions = {}): Ratio {
  if (a.length === 0 || a.length !== b.length) throw new RangeError(`ratio needs two equally long, non-empty lists (${a.length} and ${b.length})`);
  const perRound = a.map((value, i) => value / (b[i] as number));
  const pick = options.better === "lower" ? Math.min : Math.max;
  return {
    best: pick(...a) / pick(...b),
    median: median(perRound),
    min: Math.min(...perRound),
    max: Math.max(...perRound),
  };
}
