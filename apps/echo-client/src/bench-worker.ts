// One generator thread of runBenchThreads: runs runBench on its share of the connections and
// posts its ticks, its start, and its result with the histogram's state.
import { parentPort, workerData } from "node:worker_threads";
import { runBench, type BenchOptions } from "./bench.js";
import { LatencyStats } from "./latency-stats.js";
import type { WorkerMessage } from "./bench-threads.js";

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const stats = new LatencyStats();
  const options = workerData as Omit<BenchOptions, "onTick" | "onStart" | "stats">;
  const result = await runBench({ ...options, stats, onStart: () => post({ type: "start" }), onTick: (snapshot) => post({ type: "tick", snapshot }) });
  post({ type: "done", result, stats: stats.state() });
}
