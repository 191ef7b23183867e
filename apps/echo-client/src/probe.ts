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
  /** Ends the run early (Ctrl-C): the round trip in flight is given up, the result tells what was done. */
  signal?: AbortSignal;
}

export interface ProbeResult {
  target: string;
  /** Messages sent (fewer than count when the run was interrupted). */
  sent: number;
  received: number;
  mismatched: number;
  /** The last echo, for the single-message run. */
  echo: Buffer | undefined;
  rtt: LatencySummary;
  /** The signal ended the run before count round trips. */
  interrupted: boolean;
}

/** Resolves with "stopped" once signal aborts (never without a signal). */
function whenStopped(signal: AbortSignal | undefined): Promise<"stopped"> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve("stopped");
    signal?.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
}

/** Waits ms; false when signal aborted first (the timer is then cleared). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The lab's run, generalised: connect, send message `count` times (each waits for its echo),
 * close. A UDP datagram that times out is counted lost and the run goes on (like ping); any
 * other failure rejects with EchoClientError. An aborted signal ends the run early, like Ctrl-C
 * ends ping: the result counts what was sent and received until then.
 */
export async function probe(options: ProbeOptions): Promise<ProbeResult> {
  const { target, message, signal } = options;
  const count = options.count ?? 1;
  const step = options.onStep ?? (() => undefined);
  const stopped = whenStopped(signal);
  const stats = new LatencyStats();
  let sent = 0;
  let received = 0;
  let mismatched = 0;
  let echo: Buffer | undefined;
  let interrupted = false;
  const result = (): ProbeResult => ({ target: formatTarget(target.host, target.port), sent, received, mismatched, echo, rtt: stats.summary(), interrupted });
  const connecting = connectProbe(target);
  const connected = await Promise.race([connecting, stopped]);
  if (connected === "stopped") {
    // Interrupted while connecting: close the connection if it still opens.
    connecting.then((late) => late.close(), () => undefined);
    interrupted = true;
    return result();
  }
  const connection = connected;
  step({ step: "connect", local: connection.local, remote: connection.remote, ms: connection.connectMs });
  try {
    for (let seq = 1; seq <= count; seq++) {
      if ((seq > 1 && !(await pause(options.intervalMs ?? 1000, signal))) || signal?.aborted) {
        interrupted = true;
        break;
      }
      step({ step: "send", seq, bytes: message.length });
      sent++;
      const outcome = await Promise.race([
        connection.roundTrip(message).then(
          (trip) => ({ trip }),
          (error: unknown) => ({ error }),
        ),
        stopped,
      ]);
      // The round trip in flight is given up (close() ends it): sent, not received.
      if (outcome === "stopped") {
        interrupted = true;
        break;
      }
      if ("error" in outcome) {
        const error = outcome.error;
        if (target.transport === "udp" && error instanceof EchoClientError && error.code === "READ_TIMEOUT") {
          step({ step: "lost", seq, error: error.message });
          continue;
        }
        throw error;
      }
      const trip = outcome.trip;
      echo = trip.echo;
      const matches = trip.echo.equals(message);
      received++;
      if (!matches) mismatched++;
      stats.record(trip.rttMs);
      step({ step: "receive", seq, bytes: trip.echo.length, ms: trip.rttMs, matches, echo: trip.echo });
    }
  } finally {
    await connection.close();
    step({ step: "close" });
  }
  return result();
}
