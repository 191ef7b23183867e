import { performance } from "node:perf_hooks";
import type { BenchOptions, BenchResult } from "./bench.js";
import type { LatencyStats } from "./latency-stats.js";

export interface Window {
  elapsedS: number;
  cpu: BenchResult["cpu"];
}

/** Milliseconds between one sender's messages for a total rate (messages/s over all senders; 0: unpaced). */
export function pacingInterval(rate: number, senders: number): number {
  return rate > 0 ? (1000 * Math.max(1, senders)) / rate : 0;
}

/**
 * For a paced sender (intervalMs > 0): true when it may send now, its next turn then intervalMs
 * later; false when its turn is still to come, and retry is called then.
 */
export function onTurn(sender: { nextAt: number }, now: number, intervalMs: number, retry: () => void): boolean {
  if (now < sender.nextAt) {
    setTimeout(retry, sender.nextAt - now);
    return false;
  }
  sender.nextAt += intervalMs;
  return true;
}

/**
 * The measured window of a bench, once its connections are open: starts the clock and the CPU
 * count, calls begin, ticks options.onTick with the counts so far, waits out the duration (not
 * when nothing opened: there is nothing to measure), then returns how long it ran and the CPU used.
 */
export async function measureWindow(
  options: BenchOptions,
  opened: number,
  begin: (started: number) => void,
  counts: () => { messages: number; bytes: number },
  errors: BenchResult["errors"],
  stats: LatencyStats,
): Promise<Window> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  options.onStart?.();
  begin(started);
  const onTick = options.onTick;
  const tick = (): void => onTick?.({ elapsedMs: performance.now() - started, ...counts(), errors: errors.connect + errors.connection + errors.mismatch, p99Ms: stats.summary().p99 });
  const ticker = onTick ? setInterval(tick, options.tickMs ?? 250) : undefined;
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
