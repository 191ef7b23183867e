// The channel fan-out load: 200 clients in #bench, a few of them sending, the rest counting and timing deliveries.
import { performance } from "node:perf_hooks";
import { summarize } from "@netlab/bench-kit";
import { closeClients, type ConnectClients, type LoadClient } from "./irc-load-client.js";
import { settle } from "./settle.js";

const padding = "x".repeat(32);

interface LoadOptions {
  clients?: number;
  senders?: number;
  seconds?: number;
  warmup?: number;
  /** Receivers (after the senders) that time their messages. */
  sample?: number;
  /** The server's CPU seconds so far (summed over processes for a cluster). */
  cpu?: () => number;
}

export interface FanoutResult {
  offered: number;
  delivered: number;
  /** Server CPU seconds per million deliveries: what the work costs, whatever else runs on the machine. */
  cpuPerMillion: number;
  lost: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  crossP50: number;
  crossP99: number;
}

export interface SaturationResult {
  delivered: number;
  cpuPerMillion: number;
  /** Share of one core the server used in the window. */
  serverBusy: number;
  /** Share of its core the load generator used: near 1.0 it, not the server, may set the rate. */
  generatorCpu: number;
  lost: number;
  expected: number;
  outOfOrder: number;
  cut: number;
  /** The slowest sender's sends over the fastest's: a sender the server throttles falls behind. */
  slowestSender: number;
  p50: number;
  p99: number;
  max: number;
}

/** Every client joins #bench; then all count lines, and the `sample` after the senders time them. */
async function joinBench(clients: readonly LoadClient[], senders: number, sample: number): Promise<void> {
  for (const client of clients) {
    client.send("JOIN #bench");
    await client.waitFor(/ 366 /);
  }
  // Let the JOIN storm settle before counting (and before the WebSocket clients' tap goes on).
  await settle(500);
  for (const [i, client] of clients.entries()) {
    client.sampled = i >= senders && i < senders + sample;
    client.startCounting();
  }
}

const countLines = (clients: readonly LoadClient[]): number => clients.reduce((sum, client) => sum + client.lines, 0);

/**
 * `senders` of the clients each send `rate` messages/s for `seconds` after a warm-up:
 * delivered messages/s in the window, latency percentiles, messages lost. Latencies of
 * messages that crossed cluster nodes are reported apart (crossP50, crossP99).
 */
export async function fanoutRun(connect: ConnectClients, options: LoadOptions & { rate?: number } = {}): Promise<FanoutResult> {
  const { clients: count = 200, senders = 10, rate = 400, seconds = 8, warmup = 1, sample = 20, cpu = () => 0 } = options;
  const clients = await connect(count, "b");
  try {
    await joinBench(clients, senders, sample);
    const talkers = clients.slice(0, senders).map((client) => ({ client, due: 0 }));
    let sent = 0;
    const started = performance.now();
    const snapshot = () => ({ at: performance.now(), lines: countLines(clients), cpu: cpu() });
    let windowStart: ReturnType<typeof snapshot> | undefined;
    const windowEnd = await new Promise<ReturnType<typeof snapshot>>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed >= warmup + seconds) {
          clearInterval(timer);
          resolve(snapshot());
          return;
        }
        if (!windowStart && elapsed >= warmup) {
          windowStart = snapshot();
          for (const client of clients) client.latencies.length = client.crossLatencies.length = 0;
        }
        const due = Math.floor(elapsed * rate);
        for (const talker of talkers) {
          const lines: string[] = [];
          for (; talker.due < due; talker.due++, sent++) lines.push(`PRIVMSG #bench :T ${performance.now().toFixed(3)} n${talker.client.node} ${padding}`);
          talker.client.sendAll(lines);
        }
      }, 5);
    });
    const start = windowStart ?? windowEnd;
    // Whatever is still in flight arrives now; then count what never came.
    await settle(2_000);
    const expected = sent * (count - 1);
    const latency = summarize(clients.flatMap((client) => client.latencies));
    const cross = summarize(clients.flatMap((client) => client.crossLatencies));
    const windowLines = windowEnd.lines - start.lines;
    return {
      offered: senders * rate * (count - 1),
      delivered: windowLines / ((windowEnd.at - start.at) / 1000),
      cpuPerMillion: ((windowEnd.cpu - start.cpu) * 1e6) / Math.max(1, windowLines),
      lost: Math.max(0, expected - countLines(clients)),
      expected,
      p50: latency.p50,
      p99: latency.p99,
      max: latency.max,
      crossP50: cross.p50,
      crossP99: cross.p99,
    };
  } finally {
    closeClients(clients);
  }
}

/**
 * Saturation: `senders` send with no pacing, each keeping at most `inFlight` messages that one
 * designated receiver (the last client, no sender) has not yet seen. Deliveries/s inside the
 * window after a warm-up, latency percentiles, and what never arrived once sending stopped
 * and the channel drained.
 */
export async function saturationRun(connect: ConnectClients, options: LoadOptions & { inFlight?: number } = {}): Promise<SaturationResult> {
  const { clients: count = 200, senders = 10, inFlight = 64, seconds = 8, warmup = 1, sample = 20, cpu = () => 0 } = options;
  const clients = await connect(count, "b");
  try {
    const talkers = clients.slice(0, senders).map((client, index) => ({ client, index, sent: 0, acked: 0 }));
    let sending = true;
    let outOfOrder = 0;
    // One write per top-up: the load generator's core is shared by 200 readers.
    const topUp = (talker: (typeof talkers)[number]): void => {
      const lines: string[] = [];
      for (; sending && talker.sent - talker.acked < inFlight; talker.sent++) {
        lines.push(`PRIVMSG #bench :T ${performance.now().toFixed(3)} n0 S ${talker.index} ${talker.sent} ${padding}`);
      }
      talker.client.sendAll(lines);
    };
    // "S <sender> <seq>" acknowledges every message of that sender up to seq (TCP keeps each sender's order).
    const receiver = clients[count - 1];
    if (!receiver) throw new RangeError("saturation needs a receiver besides the senders");
    receiver.onText = (text) => {
      for (let mark = text.indexOf(" S "); mark >= 0; mark = text.indexOf(" S ", mark)) {
        mark += 3;
        const space = text.indexOf(" ", mark);
        const talker = talkers[Number(text.slice(mark, space))];
        const seq = Number(text.slice(space + 1, text.indexOf(" ", space + 1)));
        if (!talker || !Number.isInteger(seq)) continue;
        if (seq !== talker.acked) outOfOrder++;
        talker.acked = Math.max(talker.acked, seq + 1);
      }
      for (const talker of talkers) topUp(talker);
    };
    await joinBench(clients, senders, sample);
    const snapshot = () => ({ at: performance.now(), lines: countLines(clients), cpu: cpu(), self: process.cpuUsage() });
    for (const talker of talkers) topUp(talker);
    await settle(warmup * 1000);
    const start = snapshot();
    for (const client of clients) client.latencies.length = 0;
    await settle(seconds * 1000);
    const end = snapshot();
    // Stop sending, then let what is in flight arrive: until every line is in or the count stops moving.
    sending = false;
    const sent = talkers.reduce((sum, talker) => sum + talker.sent, 0);
    const expected = sent * (count - 1);
    const deadline = performance.now() + 10_000;
    for (let last = -1; countLines(clients) < expected && countLines(clients) !== last && performance.now() < deadline; ) {
      last = countLines(clients);
      await settle(1_000);
    }
    const latency = summarize(clients.flatMap((client) => client.latencies));
    const windowSeconds = (end.at - start.at) / 1000;
    const windowLines = end.lines - start.lines;
    const selfCpu = (end.self.user + end.self.system - start.self.user - start.self.system) / 1e6;
    const perSender = talkers.map((talker) => talker.sent);
    return {
      delivered: windowLines / windowSeconds,
      cpuPerMillion: ((end.cpu - start.cpu) * 1e6) / Math.max(1, windowLines),
      serverBusy: (end.cpu - start.cpu) / windowSeconds,
      generatorCpu: selfCpu / windowSeconds,
      lost: Math.max(0, expected - countLines(clients)),
      expected,
      outOfOrder,
      cut: clients.filter((client) => client.cut).length,
      slowestSender: Math.min(...perSender) / Math.max(...perSender),
      p50: latency.p50,
      p99: latency.p99,
      max: latency.max,
    };
  } finally {
    closeClients(clients);
  }
}
