// Each candidate gets its own compiled loop so one candidate's call site feedback never
// slows another's. The name goes into the source: V8 caches `new Function` by source text,
// and identical loops would share one feedback vector (and deoptimize on each other's calls).
const makeLoop = (name) =>
  new Function("fn", "inputs", "n", `// ${name}\nlet sink = 0; for (let i = 0; i < n; i++) { if (fn(inputs[i & 1023]) !== undefined) sink++; } return sink;`);

// CPU time of this process in ns: on a shared machine, time spent waiting for a core is not counted.
function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * Times each candidate over the same inputs; returns nanoseconds of CPU time per call (best
 * of `rounds`). Rounds are interleaved, every other one in reverse order, so no candidate
 * always runs first or last.
 * @param {Record<string, (input: any) => unknown>} candidates
 * @param {unknown[]} inputs 1024 of them
 */
export function timeCandidates(candidates, inputs, { rounds = 25, roundMs = 20 } = {}) {
  const runs = Object.entries(candidates).map(([name, fn]) => {
    const loop = makeLoop(name);
    loop(fn, inputs, 50_000);
    // Calibrate the call count so a round takes about roundMs.
    const start = cpuNow();
    loop(fn, inputs, 50_000);
    const nsPerCall = Math.max(1, cpuNow() - start) / 50_000;
    const calls = Math.max(10_000, Math.min(5_000_000, Math.round((roundMs * 1e6) / nsPerCall)));
    return { name, fn, loop, calls, best: Infinity };
  });
  for (let round = 0; round < rounds; round++) {
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
      // Start each round with an empty young generation, so no candidate pays for another's
      // garbage. A minor GC only: full ones age compiled code (regular expressions included)
      // and made V8 drop and rebuild it, so a candidate sometimes ran at half speed for a whole run.
      globalThis.gc?.({ type: "minor" });
      const start = cpuNow();
      run.loop(run.fn, inputs, run.calls);
      run.best = Math.min(run.best, (cpuNow() - start) / run.calls);
    }
  }
  return Object.fromEntries(runs.map((run) => [run.name, run.best]));
}

/**
 * Bytes of heap each call leaves behind, results kept alive: needs node --expose-gc.
 * The least of `repeats` runs counts: V8 may put optimized code on the heap during one run,
 * which is not an allocation of the call.
 * @param {(input: any) => unknown} fn
 * @param {unknown[]} inputs
 */
export function heapPerCall(fn, inputs, calls = 200_000, repeats = 3) {
  for (let i = 0; i < 100_000; i++) fn(inputs[i & 1023]);
  let least = Infinity;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const kept = new Array(calls);
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) kept[i] = fn(inputs[i & 1023]);
    const after = process.memoryUsage().heapUsed;
    least = Math.min(least, (after - before) / calls);
  }
  return least;
}
