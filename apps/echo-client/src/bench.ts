import type net from "node:net";
import { performance } from "node:perf_hooks";
import { openStream } from "./connect.js";
import { runDatagramBench } from "./bench-udp.js";
import { benchResult, measureWindow, onTurn, pacingInterval } from "./bench-window.js";
import { EchoPattern } from "./echo-pattern.js";
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
  /** Check every echoed byte against what was sent (each connection sends its own random byte stream). */
  verify?: boolean;
  /** Connections opened at once while starting (servers with small backlogs drop more). */
  openConcurrency?: number;
  /** Called about every tickMs while running. */
  onTick?: (snapshot: BenchSnapshot) => void;
  tickMs?: number;
  /** Called when the connections are open and the measured window starts. */
  onStart?: () => void;
  /** Records the round trips here (default: a histogram of its own), e.g. to merge several generators. */
  stats?: LatencyStats;
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
  /**
   * connect: connections that did not open; connection: errors on open ones; mismatch: connections
   * (TCP, TLS) or datagrams (UDP) whose echo differed from what was sent.
   */
  errors: { connect: number; connection: number; mismatch: number; firstError?: string };
  /** Echoed bytes checked against what was sent and found equal (0 without verify). */
  verified: number;
  /** UDP only: datagrams sent, and those not back within the target's timeout (lost) or back after it (late). */
  datagrams?: { sent: number; lost: number; late: number };
  /** Generator threads that ran it (`threads` option of runBenchThreads; 1 for runBench). */
  threads: number;
  /**
   * CPU time the generator process used in the measured window, and that as a share of one
   * core (up to `threads` cores; near `threads`: the generator may be the limit).
   */
  cpu: { seconds: number; share: number };
}

interface Worker {
  /** 1-based, for error messages. */
  id: number;
  socket: net.Socket | undefined;
  /** Bytes of the current echo received so far (pingpong). */
  pending: number;
  sentAt: number;
  nextAt: number;
  /** Stream positions (verify): where this connection started, what it has sent and received. */
  start: number;
  sent: number;
  received: number;
  /** Its echo differed once: its later bytes are out of step and are not checked. */
  broken: boolean;
}

/** An echo load generator: N connections for a fixed time, ping-pong or streaming (UDP: ping-pong datagrams). */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  if (options.target.transport === "udp") return runDatagramBench(options);
  const { size, mode } = options;
  const payload = Buffer.alloc(size, 0x61);
  // Reads are at most 64 KiB; a message may be longer.
  const pattern = options.verify ? new EchoPattern(Math.max(size, 64 * 1024)) : undefined;
  const stats = options.stats ?? new LatencyStats();
  const errors: BenchResult["errors"] = { connect: 0, connection: 0, mismatch: 0 };
  let verified = 0;
  // Set once the connections are open: the rate is shared by those that opened.
  let intervalMs = 0;
  let running = false;
  let messages = 0;
  let bytes = 0;

  const nextMessage = (w: Worker): Buffer => {
    if (!pattern) return payload;
    const message = pattern.slice(w.sent, size);
    w.sent += size;
    return message;
  };
  const check = (w: Worker, count: number, data: Buffer): void => {
    if (!pattern || w.broken) return;
    const at = pattern.firstDifference(data, count, w.received);
    w.received += count;
    if (at < 0) {
      verified += count;
      return;
    }
    w.broken = true;
    errors.mismatch++;
    errors.firstError ??= `connection ${w.id}: echo differs from what was sent at byte ${(at - w.start).toLocaleString("en-US")}`;
  };

  // The timer is read once per echo: the time it arrived is also when the next message leaves.
  const send = (w: Worker, now: number): void => {
    const socket = w.socket;
    if (!running || !socket || socket.destroyed) return;
    if (intervalMs > 0 && !onTurn(w, now, intervalMs, () => send(w, performance.now()))) return;
    w.sentAt = now;
    socket.write(nextMessage(w));
  };
  const pump = (w: Worker): void => {
    const socket = w.socket;
    if (intervalMs > 0) return send(w, performance.now());
    while (running && socket && !socket.destroyed && socket.write(nextMessage(w)));
  };
  const onEcho = (w: Worker, count: number, data: Buffer): void => {
    if (!running) return;
    check(w, count, data);
    if (mode === "stream") {
      bytes += count;
      return;
    }
    w.pending += count;
    // A message counts once all its bytes are back (several may arrive in one read when paced).
    while (w.pending >= size) {
      w.pending -= size;
      const now = performance.now();
      messages++;
      bytes += size;
      stats.record(now - w.sentAt);
      send(w, now);
    }
  };

  const workers = await openAll(options, errors, onEcho);
  intervalMs = pacingInterval(options.rate, workers.length);
  const begin = (started: number): void => {
    running = true;
    for (const w of workers) {
      const socket = w.socket;
      if (!socket) continue;
      w.nextAt = started;
      socket.on("error", (error) => {
        if (!running) return;
        errors.connection++;
        errors.firstError ??= error.message;
      });
      if (mode === "pingpong") send(w, started);
      else {
        socket.on("drain", () => pump(w));
        pump(w);
      }
    }
  };
  const counts = (): { messages: number; bytes: number } => ({ messages: mode === "pingpong" ? messages : Math.floor(bytes / size), bytes });
  const window = await measureWindow(options, workers.length, begin, counts, errors, stats);
  running = false;
  for (const w of workers) w.socket?.destroy();
  if (mode === "stream") messages = Math.floor(bytes / size);
  return benchResult(options, { connected: workers.length, messages, bytes, latency: stats.summary(), errors, verified }, window);
}

/** Opens the connections, a few at a time; received bytes go to onEcho, never through `data` events. */
async function openAll(options: BenchOptions, errors: BenchResult["errors"], onEcho: (w: Worker, count: number, data: Buffer) => void): Promise<Worker[]> {
  const workers: Worker[] = [];
  const buffer = Buffer.allocUnsafe(64 * 1024);
  const concurrency = Math.max(1, options.openConcurrency ?? 32);
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < options.connections) {
      next++;
      const start = EchoPattern.start();
      const w: Worker = { id: next, socket: undefined, pending: 0, sentAt: 0, nextAt: 0, start, sent: start, received: start, broken: false };
      try {
        w.socket = await openStream(options.target, { buffer, count: (count, data) => onEcho(w, count, data) });
        workers.push(w);
      } catch (error) {
        errors.connect++;
        errors.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, options.connections) }, opener));
  return workers;
}
