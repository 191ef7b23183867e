import type net from "node:net";
import { performance } from "node:perf_hooks";
import { openStream } from "./connect.js";
import { LatencyStats, type LatencySummary } from "./latency-stats.js";
import type { EchoTarget } from "./target.js";

export type BenchMode = "pingpong" | "stream";

export interface BenchOptions {
  target: EchoTarget;
  connections: number;
  durationMs: number;
  /** Bytes per message. */
  size: number;
  /** Messages per second over all connections; 0 sends as fast as echoes come back. */
  rate: number;
  mode: BenchMode;
  /** Connections opened at once while starting (servers with small backlogs drop more). */
  openConcurrency?: number;
  /** Called about every tickMs while running. */
  onTick?: (snapshot: BenchSnapshot) => void;
  tickMs?: number;
}

export interface BenchSnapshot {
  elapsedMs: number;
  messages: number;
  bytes: number;
  errors: number;
  p99Ms: number;
}

export interface BenchResult {
  mode: BenchMode;
  connections: number;
  connected: number;
  size: number;
  durationS: number;
  /** Complete echoes received in the measured window. */
  messages: number;
  /** Echoed bytes received in the measured window. */
  bytes: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  /** Round trips (pingpong only; empty in stream mode). */
  latency: LatencySummary;
  errors: { connect: number; connection: number; firstError?: string };
}

interface Worker {
  socket: net.Socket;
  pending: number;
  sentAt: number;
  nextAt: number;
}

/** An echo load generator: N connections for a fixed time, ping-pong or streaming. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { size, mode } = options;
  const payload = Buffer.alloc(size, 0x61);
  const stats = new LatencyStats();
  const errors: BenchResult["errors"] = { connect: 0, connection: 0 };
  const sockets = await openAll(options, errors);
  const intervalMs = options.rate > 0 ? (1000 * Math.max(1, sockets.length)) / options.rate : 0;
  let running = true;
  let messages = 0;
  let bytes = 0;
  const started = performance.now();
  const workers = sockets.map((socket): Worker => ({ socket, pending: 0, sentAt: 0, nextAt: started }));

  const sendOne = (w: Worker): void => {
    if (!running || w.socket.destroyed) return;
    if (intervalMs > 0) {
      const now = performance.now();
      if (now < w.nextAt) {
        setTimeout(sendOne, w.nextAt - now, w);
        return;
      }
      w.nextAt += intervalMs;
    }
    w.sentAt = performance.now();
    w.socket.write(payload);
  };
  const pump = (w: Worker): void => {
    if (intervalMs > 0) return sendOne(w);
    while (running && !w.socket.destroyed && w.socket.write(payload));
  };

  for (const w of workers) {
    w.socket.on("error", (error) => {
      if (!running) return;
      errors.connection++;
      errors.firstError ??= error.message;
    });
    if (mode === "pingpong") {
      w.socket.on("data", (chunk: Buffer) => {
        w.pending += chunk.length;
        if (w.pending < size) return;
        w.pending -= size;
        if (!running) return;
        messages++;
        bytes += size;
        stats.record(performance.now() - w.sentAt);
        sendOne(w);
      });
      sendOne(w);
    } else {
      w.socket.on("data", (chunk: Buffer) => {
        if (!running) return;
        bytes += chunk.length;
      });
      w.socket.on("drain", () => pump(w));
      pump(w);
    }
  }

  const tickMs = options.tickMs ?? 250;
  const ticker = options.onTick
    ? setInterval(() => {
        const s = stats.summary();
        options.onTick?.({ elapsedMs: performance.now() - started, messages: mode === "pingpong" ? messages : Math.floor(bytes / size), bytes, errors: errors.connect + errors.connection, p99Ms: s.p99 });
      }, tickMs)
    : undefined;
  // With no connection there is nothing to measure: do not sit out the duration.
  if (workers.length > 0) await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  running = false;
  const elapsedS = (performance.now() - started) / 1000;
  if (ticker) clearInterval(ticker);
  for (const w of workers) w.socket.destroy();
  if (mode === "stream") messages = Math.floor(bytes / size);
  return {
    mode,
    connections: options.connections,
    connected: sockets.length,
    size,
    durationS: elapsedS,
    messages,
    bytes,
    messagesPerSecond: messages / elapsedS,
    megabytesPerSecond: bytes / 1e6 / elapsedS,
    latency: stats.summary(),
    errors,
  };
}

async function openAll(options: BenchOptions, errors: BenchResult["errors"]): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  const concurrency = Math.max(1, options.openConcurrency ?? 32);
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < options.connections) {
      next++;
      try {
        sockets.push(await openStream(options.target));
      } catch (error) {
        errors.connect++;
        errors.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, options.connections) }, opener));
  return sockets;
}
