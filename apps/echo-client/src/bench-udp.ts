import type dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import type { BenchOptions, BenchResult } from "./bench.js";
import { benchResult, measureWindow, onTurn, pacingInterval } from "./bench-window.js";
import { EchoPattern } from "./echo-pattern.js";
import { describeNetworkError } from "./errors.js";
import { LatencyStats } from "./latency-stats.js";
import { formatTarget } from "./target.js";
import { openDatagram } from "./udp-socket.js";

/** Each datagram starts with its flow's number and its own, so its echo finds the send it answers. */
export const DATAGRAM_HEADER = 8;
/** The largest UDP payload over IPv4. */
export const MAX_DATAGRAM = 65_507;

interface Flow {
  /** 1-based, for error messages and the header. */
  id: number;
  socket: dgram.Socket;
  /** Number of the latest datagram sent (the first is 1). */
  seq: number;
  sentAt: number;
  /** A datagram is out and neither back nor given up. */
  waiting: boolean;
  nextAt: number;
  /** Where this flow's bodies start in the pattern (verify). */
  start: number;
}

/**
 * The UDP bench: one datagram in flight per flow (a connected UDP socket), the next sent when its
 * echo is back or, after the target's timeout, counted lost. Echoes are matched by the header
 * (flow, number); a late echo of a datagram already given up is counted, not taken for a new one.
 */
export async function runDatagramBench(options: BenchOptions): Promise<BenchResult> {
  const { size, target } = options;
  if (options.mode !== "pingpong") throw new RangeError("a UDP bench sends ping-pong datagrams: there is no stream mode over UDP");
  if (!Number.isInteger(size) || size < DATAGRAM_HEADER || size > MAX_DATAGRAM) {
    throw new RangeError(`a UDP bench sends datagrams of ${DATAGRAM_HEADER} to ${MAX_DATAGRAM} bytes (an ${DATAGRAM_HEADER}-byte header, then the body), not ${size}`);
  }
  const name = formatTarget(target.host, target.port);
  const bodySize = size - DATAGRAM_HEADER;
  const filler = Buffer.alloc(bodySize, 0x61);
  const pattern = options.verify ? new EchoPattern(Math.max(1, bodySize)) : undefined;
  const stats = options.stats ?? new LatencyStats();
  const errors: BenchResult["errors"] = { connect: 0, connection: 0, mismatch: 0 };
  const datagrams = { sent: 0, lost: 0, late: 0 };
  let messages = 0;
  let verified = 0;
  let running = false;
  let intervalMs = 0;

  const differs = (flow: Flow, why: string): void => {
    errors.mismatch++;
    errors.firstError ??= `flow ${flow.id}: ${why}`;
  };
  const send = (flow: Flow, now: number): void => {
    if (!running) return;
    if (intervalMs > 0 && !onTurn(flow, now, intervalMs, () => send(flow, performance.now()))) return;
    // The header holds 32 bits: after 2^32 - 1 datagrams (days at full speed) a flow starts again at 1.
    flow.seq = flow.seq === 0xffff_ffff ? 1 : flow.seq + 1;
    const header = Buffer.allocUnsafe(DATAGRAM_HEADER);
    header.writeUInt32BE(flow.id, 0);
    header.writeUInt32BE(flow.seq, 4);
    const body = pattern ? pattern.slice(flow.start + flow.seq * bodySize, bodySize) : filler;
    flow.sentAt = now;
    flow.waiting = true;
    datagrams.sent++;
    flow.socket.send([header, body]);
  };
  const onMessage = (flow: Flow, echo: Buffer): void => {
    if (!running) return;
    const seq = echo.length >= DATAGRAM_HEADER && echo.readUInt32BE(0) === flow.id ? echo.readUInt32BE(4) : 0;
    if (seq === 0 || seq > flow.seq) return differs(flow, `a datagram that was never sent came back (${echo.length} bytes)`);
    if (seq < flow.seq || !flow.waiting) {
      datagrams.late++;
      return;
    }
    const now = performance.now();
    flow.waiting = false;
    if (echo.length !== size) differs(flow, `echo of datagram ${seq} is ${echo.length} bytes, not ${size}`);
    else if (pattern && pattern.firstDifference(echo.subarray(DATAGRAM_HEADER), bodySize, flow.start + seq * bodySize) >= 0) differs(flow, `echo of datagram ${seq} differs from what was sent`);
    else {
      messages++;
      if (pattern) verified += size;
      stats.record(now - flow.sentAt);
    }
    send(flow, now);
  };

  const flows: Flow[] = [];
  await Promise.all(
    Array.from({ length: options.connections }, async (_, index) => {
      try {
        const socket = await openDatagram(target);
        const flow: Flow = { id: index + 1, socket, seq: 0, sentAt: 0, waiting: false, nextAt: 0, start: EchoPattern.start() };
        socket.on("message", (echo: Buffer) => onMessage(flow, echo));
        // A refused datagram (ICMP port unreachable) comes back as an error; the datagram is then lost.
        socket.on("error", (error) => {
          if (!running) return;
          errors.connection++;
          errors.firstError ??= describeNetworkError(error, name).message;
        });
        flows.push(flow);
      } catch (error) {
        errors.connect++;
        errors.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }),
  );
  intervalMs = pacingInterval(options.rate, flows.length);
  // Gives up on datagrams out longer than the timeout; checks a few times per timeout.
  const sweep = setInterval(
    () => {
      const now = performance.now();
      for (const flow of flows) {
        if (!flow.waiting || now - flow.sentAt < target.timeoutMs) continue;
        flow.waiting = false;
        datagrams.lost++;
        send(flow, now);
      }
    },
    Math.max(5, Math.min(250, target.timeoutMs / 4)),
  );
  const begin = (started: number): void => {
    running = true;
    for (const flow of flows) {
      flow.nextAt = started;
      send(flow, started);
    }
  };
  try {
    const window = await measureWindow(options, flows.length, begin, () => ({ messages, bytes: messages * size }), errors, stats);
    return benchResult(options, { connected: flows.length, messages, bytes: messages * size, latency: stats.summary(), errors, verified, datagrams }, window);
  } finally {
    running = false;
    clearInterval(sweep);
    for (const flow of flows) flow.socket.close();
  }
}
