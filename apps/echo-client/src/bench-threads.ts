import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { runBench, type BenchOptions, type BenchResult, type BenchSnapshot } from "./bench.js";
import { EchoClientError } from "./errors.js";
import { LatencyStats, type LatencyState } from "./latency-stats.js";
import { formatTarget } from "./target.js";

/** What a generator thread tells the main thread. */
export type WorkerMessage =
  | { type: "start" }
  | { type: "tick"; snapshot: BenchSnapshot }
  | { type: "done"; result: BenchResult; stats: LatencyState };

export interface ThreadedBenchOptions extends BenchOptions {
  /** Generator threads (worker_threads), each with its share of the connections and rate; 1 runs in this thread. */
  threads: number;
}

/**
 * runBench spread over several threads, for servers that one generator core cannot keep busy.
 * Each thread opens its share of the connections and measures its own window; the result adds
 * their counts and rates and merges their latency histograms.
 */
export async function runBenchThreads(options: ThreadedBenchOptions): Promise<BenchResult> {
  const threads = Math.max(1, Math.min(Math.floor(options.threads), options.connections));
  if (threads === 1) return runBench(options);
  if (options.target.lookup) {
    throw new EchoClientError("NETWORK", formatTarget(options.target.host, options.target.port), "a custom lookup cannot cross to generator threads: use one thread");
  }
  const { onTick, onStart, stats: _stats, ...plain } = options;
  const shares = Array.from({ length: threads }, (_, i) => {
    const connections = Math.floor(options.connections / threads) + (i < options.connections % threads ? 1 : 0);
    // The rate follows the connections, so every connection is paced alike.
    return { connections, rate: (options.rate * connections) / options.connections };
  });
  const snapshots: (BenchSnapshot | undefined)[] = [];
  const stats = new LatencyStats();
  let started = 0;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let startedAt = 0;

  const results = await Promise.all(
    shares.map(
      (share, index) =>
        new Promise<BenchResult>((resolve, reject) => {
          const worker = new Worker(new URL("./bench-worker.js", import.meta.url), { workerData: { ...plain, ...share } });
          worker.on("message", (message: WorkerMessage) => {
            if (message.type === "start") {
              // The window is measured once every thread has opened its connections.
              if (++started === threads) {
                cpuAtStart = process.cpuUsage();
                startedAt = performance.now();
                onStart?.();
              }
            } else if (message.type === "tick") {
              snapshots[index] = message.snapshot;
              if (onTick) onTick(sumSnapshots(snapshots));
            } else {
              stats.merge(message.stats);
              resolve(message.result);
              // A paced send may still have a timer set: the thread is done.
              void worker.terminate();
            }
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`generator thread ${index} exited with code ${code} before its result`)));
        }),
    ),
  );
  const elapsedS = startedAt > 0 ? (performance.now() - startedAt) / 1000 : 0;
  const cpuUsed = cpuAtStart ? process.cpuUsage(cpuAtStart) : { user: 0, system: 0 };
  const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
  const sum = (pick: (result: BenchResult) => number): number => results.reduce((total, result) => total + pick(result), 0);
  const firstError = results.find((r) => r.errors.firstError)?.errors.firstError;
  return {
    mode: options.mode,
    connections: options.connections,
    connected: sum((r) => r.connected),
    size: options.size,
    durationS: Math.max(...results.map((r) => r.durationS)),
    messages: sum((r) => r.messages),
    bytes: sum((r) => r.bytes),
    // Each thread's rate over its own window: the windows overlap but do not start at the same instant.
    messagesPerSecond: sum((r) => r.messagesPerSecond),
    megabytesPerSecond: sum((r) => r.megabytesPerSecond),
    latency: stats.summary(),
    errors: {
      connect: sum((r) => r.errors.connect),
      connection: sum((r) => r.errors.connection),
      mismatch: sum((r) => r.errors.mismatch),
      ...(firstError ? { firstError } : {}),
    },
    verified: sum((r) => r.verified),
    ...(options.target.transport === "udp"
      ? { datagrams: { sent: sum((r) => r.datagrams?.sent ?? 0), lost: sum((r) => r.datagrams?.lost ?? 0), late: sum((r) => r.datagrams?.late ?? 0) } }
      : {}),
    threads,
    cpu: { seconds: cpuSeconds, share: elapsedS > 0 ? cpuSeconds / elapsedS : 0 },
  };
}

/** The threads' latest snapshots as one (p99: the worst thread's). */
function sumSnapshots(snapshots: (BenchSnapshot | undefined)[]): BenchSnapshot {
  const total: BenchSnapshot = { elapsedMs: 0, messages: 0, bytes: 0, errors: 0, p99Ms: 0 };
  for (const s of snapshots) {
    if (!s) continue;
    total.elapsedMs = Math.max(total.elapsedMs, s.elapsedMs);
    total.messages += s.messages;
    total.bytes += s.bytes;
    total.errors += s.errors;
    total.p99Ms = Math.max(total.p99Ms, s.p99Ms);
  }
  return total;
}
