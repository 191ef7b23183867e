import { setTimeout as sleep } from "node:timers/promises";
import { EchoClientError } from "./errors.js";
import { LatencyStats, type LatencySummary } from "./latency-stats.js";
import { connectProbe } from "./prober.js";
import { formatTarget, type EchoTarget } from "./target.js";

export type ProbeStep =
  | { step: "connect"; local: string; remote: string; ms: number }
  | { step: "send"; seq: number; bytes: number }
  | { step: "receive"; seq: number; bytes: number; ms: number; matches: boolean; echo: Buffer }
  | { step: "lost"; seq: number; error: string }
  | { step: "close" };

export interface ProbeOptions {
  target: EchoTarget;
  message: Buffer;
  /** Round trips to make; default 1. */
  count?: number;
  /** Pause between round trips; default 1000 ms. */
  intervalMs?: number;
  onStep?: (step: ProbeStep) => void;
}

export interface ProbeResult {
  target: string;
  sent: number;
  received: number;
  mismatched: number;
  /** The last echo, for the single-message run. */
  echo: Buffer | undefined;
  rtt: LatencySummary;
}

/**
 * The lab's run, generalised: connect, send message `count` times (each waits for its echo),
 * close. A UDP datagram that times out is counted lost and the run goes on (like ping); any
 * other failure rejects with EchoClientError.
 */
export async function probe(options: ProbeOptions): Promise<ProbeResult> {
  const { target, message } = options;
  const count = options.count ?? 1;
  const step = options.onStep ?? (() => undefined);
  const connection = await connectProbe(target);
  step({ step: "connect", local: connection.local, remote: connection.remote, ms: connection.connectMs });
  const stats = new LatencyStats();
  let received = 0;
  let mismatched = 0;
  let echo: Buffer | undefined;
  try {
    for (let seq = 1; seq <= count; seq++) {
      if (seq > 1) await sleep(options.intervalMs ?? 1000);
      step({ step: "send", seq, bytes: message.length });
      try {
        const trip = await connection.roundTrip(message);
        echo = trip.echo;
        const matches = trip.echo.equals(message);
        received++;
        if (!matches) mismatched++;
        stats.record(trip.rttMs);
        step({ step: "receive", seq, bytes: trip.echo.length, ms: trip.rttMs, matches, echo: trip.echo });
      } catch (error) {
        if (target.transport === "udp" && error instanceof EchoClientError && error.code === "READ_TIMEOUT") {
          step({ step: "lost", seq, error: error.message });
          continue;
        }
        throw error;
      }
    }
  } finally {
    await connection.close();
    step({ step: "close" });
  }
  return { target: formatTarget(target.host, target.port), sent: count, received, mismatched, echo, rtt: stats.summary() };
}
