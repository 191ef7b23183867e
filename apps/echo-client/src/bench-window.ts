import { performance } from "node:perf_hooks";
import type { BenchOptions, BenchResult, BenchSnapshot } from "./bench.js";

export interface Window {
  elapsedS: number;
  cpu: BenchResult["cpu"];
}

/**
 * The measured window of a bench, once its connections are open: starts the clock and the CPU
 * count, calls begin, ticks options.onTick with snapshot, waits out the duration (not when
 * nothing opened: there is nothing to measure), then returns how long it ran and the CPU used.
 */
export async function measureWindow(options: BenchOptions, opened: number, begin: (started: number) => void, snapshot: () => Omit<BenchSnapshot, "elapsedMs">): Promise<Window> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  options.onStart?.();
  begin(started);
  const onTick = options.onTick;
  const ticker = onTick ? setInterval(() => onTick({ elapsedMs: performance.now() - started, ...snapshot() }), options.tickMs ?? 250) : undefined;
  if (opened > 0) await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  const elapsedS = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
  if (ticker) clearInterval(ticker);
  return { elapsedS, cpu: { seconds: cpuSeconds, share: elapsedS > 0 ? cpuSeconds / elapsedS : 0 } };
}

/** The result of a run from its counts and its window. */
export function benchResult(
  options: BenchOptions,
  counts: Pick<BenchResult, "connected" | "messages" | "bytes" | "latency" | "errors" | "verified" | "datagrams">,
  window: Window,
): BenchResult {
  return {
    mode: options.mode,
    connections: options.connections,
    size: options.size,
    durationS: window.elapsedS,
    ...counts,
    messagesPerSecond: counts.messages / window.elapsedS,
    megabytesPerSecond: counts.bytes / 1e6 / window.elapsedS,
    threads: 1,
    cpu: window.cpu,
  };
}
