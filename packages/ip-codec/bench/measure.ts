// CPU time and heap per call of candidate functions, measured in this process.
import { alternatingOrder } from "@netlab/bench-kit";

type Call<T> = (input: T) => unknown;
type Loop<T> = (fn: Call<T>, inputs: readonly T[], n: number) => number;

// Each candidate gets its own compiled loop so one candidate's call site feedback never
// slows another's. The name goes into the source: V8 caches `new Function` by source text,
// and identical loops would share one feedback vector (and deoptimize on each other's calls).
function makeLoop<T>(name: string): Loop<T> {
  return new Function("fn", "inputs", "n", `// ${name}\nlet sink = 0; for (let i = 0; i < n; i++) { if (fn(inputs[i & 1023]) !== undefined) sink++; } return sink;`) as Loop<T>;
}

// CPU time of this process in ns: on a shared machine, time spent waiting for a core is not counted.
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * Times each candidate over the same inputs (1024 of them): nanoseconds of CPU time per call
 * in each of `rounds` rounds, in alternating order (bench-kit's alternatingOrder), so no
 * candidate always runs first or last. The best round is the figure; the rounds give ratios their range.
 */
export function timeCandidates<T>(candidates: Record<string, Call<T>>, inputs: readonly T[], { rounds = 25, roundMs = 20 } = {}): Record<string, number[]> {
  const runs = Object.entries(candidates).map(([name, fn]) => {
    const loop = makeLoop<T>(name);
    loop(fn, inputs, 50_000);
    // Calibrate the call count so a round takes about roundMs.
    const start = cpuNow();
    loop(fn, inputs, 50_000);
    const nsPerCall = Math.max(1, cpuNow() - start) / 50_000;
    const calls = Math.max(10_000, Math.min(5_000_000, Math.round((roundMs * 1e6) / nsPerCall)));
    return { name, fn, loop, calls, times: [] as number[] };
  });
  for (const order of alternatingOrder(runs, rounds)) {
    for (const run of order) {
      // Start each round with an empty young generation, so no candidate pays for another's
      // garbage. A minor GC only: full ones age compiled code (regular expressions included)
      // and made V8 drop and rebuild it, so a candidate sometimes ran at half speed for a whole run.
      globalThis.gc?.({ type: "minor" });
      const start = cpuNow();
      run.loop(run.fn, inputs, run.calls);
      run.times.push((cpuNow() - start) / run.calls);
    }
  }
  return Object.fromEntries(runs.map((run) => [run.name, run.times]));
}

/**
 * Bytes of heap each call leaves behind, results kept alive: needs node --expose-gc.
 * The least of `repeats` runs counts: V8 may put optimized code on the heap during one run,
 * which is not an allocation of the call.
 */
export function heapPerCall<T>(fn: Call<T>, inputs: readonly T[], calls = 200_000, repeats = 3): number {
  const gc = globalThis.gc;
  if (!gc) throw new Error("heapPerCall needs node --expose-gc");
  for (let i = 0; i < 100_000; i++) fn(inputs[i & 1023] as T);
  let least = Infinity;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const kept = new Array<unknown>(calls);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) kept[i] = fn(inputs[i & 1023] as T);
    const after = process.memoryUsage().heapUsed;
    least = Math.min(least, (after - before) / calls);
  }
  return least;
}
