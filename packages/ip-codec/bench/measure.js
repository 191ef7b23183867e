// Each candidate gets its own compiled loop (new Function) so one candidate's call site
// feedback never slows another's; rounds are interleaved and the fastest round counts.
const makeLoop = () =>
  new Function("fn", "inputs", "n", "let sink = 0; for (let i = 0; i < n; i++) { if (fn(inputs[i & 1023]) !== undefined) sink++; } return sink;");

/**
 * Times each candidate over the same inputs; returns nanoseconds per call (best of `rounds`).
 * @param {Record<string, (input: any) => unknown>} candidates
 * @param {unknown[]} inputs 1024 of them
 */
export function timeCandidates(candidates, inputs, { rounds = 15, roundMs = 20 } = {}) {
  const runs = Object.entries(candidates).map(([name, fn]) => {
    const loop = makeLoop();
    loop(fn, inputs, 20_000);
    // Calibrate the call count so a round takes about roundMs.
    const start = process.hrtime.bigint();
    loop(fn, inputs, 20_000);
    const nsPerCall = Number(process.hrtime.bigint() - start) / 20_000;
    const calls = Math.max(10_000, Math.min(2_000_000, Math.round((roundMs * 1e6) / nsPerCall)));
    return { name, fn, loop, calls, best: Infinity };
  });
  for (let round = 0; round < rounds; round++) {
    for (const run of runs) {
      // Start each round with an empty young generation, so no candidate pays for another's garbage.
      globalThis.gc?.();
      const start = process.hrtime.bigint();
      run.loop(run.fn, inputs, run.calls);
      run.best = Math.min(run.best, Number(process.hrtime.bigint() - start) / run.calls);
    }
  }
  return Object.fromEntries(runs.map((run) => [run.name, run.best]));
}

/**
 * Bytes of heap each call leaves behind, results kept alive: needs node --expose-gc.
 * @param {(input: any) => unknown} fn
 * @param {unknown[]} inputs
 */
export function heapPerCall(fn, inputs, calls = 50_000) {
  const kept = new Array(calls);
  for (let i = 0; i < 20_000; i++) fn(inputs[i & 1023]);
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) kept[i] = fn(inputs[i & 1023]);
  const after = process.memoryUsage().heapUsed;
  kept.length = 0;
  return (after - before) / calls;
}
