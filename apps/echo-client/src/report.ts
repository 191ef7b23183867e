import type { BenchResult } from "./bench.js";
import type { LatencySummary } from "./latency-stats.js";
import type { ProbeResult, ProbeStep } from "./probe.js";

const ms = (value: number): string => value.toFixed(3);

/** Shows bytes as text when printable, else as a hex preview. */
export function preview(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  if (/^[\x20-\x7e\t]*$/.test(text)) return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
  return `0x${bytes.subarray(0, 32).toString("hex")}${bytes.length > 32 ? "..." : ""}`;
}

/** One line per step of the single-message run (the lab's output). */
export function stepLine(step: ProbeStep, message: Buffer): string {
  switch (step.step) {
    case "connect":
      return `Connected to ${step.remote} from ${step.local} in ${ms(step.ms)} ms`;
    case "send":
      return `Sent ${step.bytes} bytes: ${preview(message)}`;
    case "receive":
      return `Received ${step.bytes} bytes in ${ms(step.ms)} ms: ${preview(step.echo)}${step.matches ? "" : " (DIFFERENT from what was sent)"}`;
    case "lost":
      return `Lost: ${step.error}`;
    case "close":
      return "Closed";
  }
}

/** ping-style line per round trip. */
export function pingLine(step: ProbeStep, target: string): string | undefined {
  if (step.step === "receive") return `${step.bytes} bytes from ${target}: seq=${step.seq} time=${ms(step.ms)} ms${step.matches ? "" : " (MISMATCH)"}`;
  if (step.step === "lost") return `seq=${step.seq} lost: ${step.error}`;
  if (step.step === "connect") return `ECHO ${target} (${step.remote}): connected in ${ms(step.ms)} ms`;
  return undefined;
}

export function latencyLines(rtt: LatencySummary): string[] {
  return [`rtt min/avg/max/mdev = ${ms(rtt.min)}/${ms(rtt.avg)}/${ms(rtt.max)}/${ms(rtt.mdev)} ms`, `rtt p50/p90/p99 = ${ms(rtt.p50)}/${ms(rtt.p90)}/${ms(rtt.p99)} ms`];
}

export function pingSummary(result: ProbeResult): string[] {
  const loss = result.sent === 0 ? 0 : (100 * (result.sent - result.received)) / result.sent;
  return [
    `--- ${result.target} echo statistics ---`,
    `${result.sent} sent, ${result.received} received, ${result.mismatched} mismatched, ${loss.toFixed(1)}% loss`,
    ...(result.received > 0 ? latencyLines(result.rtt) : []),
  ];
}

/** A generator using this share of its core or more may itself be the bottleneck. */
export const GENERATOR_BUSY_SHARE = 0.9;

export function benchLines(result: BenchResult): string[] {
  const lines = [
    `${result.mode}: ${result.connected}/${result.connections} connections, ${result.size}-byte messages, ${result.durationS.toFixed(1)} s`,
    `${Math.round(result.messagesPerSecond).toLocaleString("en-US")} messages/s, ${result.megabytesPerSecond.toFixed(2)} MB/s (${result.messages.toLocaleString("en-US")} messages, ${result.bytes.toLocaleString("en-US")} bytes)`,
  ];
  if (result.latency.count > 0) lines.push(...latencyLines(result.latency));
  const d = result.datagrams;
  if (d) {
    const lostShare = d.sent > 0 ? ((100 * d.lost) / d.sent).toFixed(2) : "0.00";
    lines.push(`datagrams: ${d.sent.toLocaleString("en-US")} sent, ${result.messages.toLocaleString("en-US")} back, ${d.lost.toLocaleString("en-US")} lost (${lostShare}%), ${d.late.toLocaleString("en-US")} late`);
  }
  const mismatch = result.errors.mismatch > 0 || result.verified > 0 ? `, ${result.errors.mismatch} echo mismatch` : "";
  lines.push(`errors: ${result.errors.connect} connect, ${result.errors.connection} during the run${mismatch}${result.errors.firstError ? ` (first: ${result.errors.firstError})` : ""}`);
  if (result.verified > 0 || result.errors.mismatch > 0) lines.push(`verified: ${result.verified.toLocaleString("en-US")} echoed bytes equal to what was sent`);
  // Each generator thread runs on one core at most. A run that measured nothing (no server) spent
  // its short window starting up: its CPU share says nothing about the generator's limit.
  const busy = result.bytes > 0 && result.cpu.share / result.threads >= GENERATOR_BUSY_SHARE;
  const threads = result.threads > 1 ? ` (${result.threads} threads)` : "";
  lines.push(
    `generator CPU: ${Math.round(result.cpu.share * 100)}% of one core${threads}${busy ? " (near a full core per thread: the generator may be what limits these figures; try --threads or a second machine)" : ""}`,
  );
  return lines;
}
