// chat-server against ngircd in one run: channel fan-out (paced and saturated) and latency, memory idle and under load.
// Usage: pnpm --filter @netlab/chat-server bench:fanout   (BENCH_QUICK=1 for a short run)
import os from "node:os";
import { bytes, cpuSeconds, fixed, int, peakRssBytes, ratio, rssBytes, runAlternating, times, type Metric } from "@netlab/bench-kit";
import { fanoutRun, saturationRun, type FanoutResult, type SaturationResult } from "./channel-load.js";
import { idleMemory, type IdleMemory } from "./idle-memory.js";
import { tcpClients } from "./irc-load-client.js";
import { exitAfter, pinSelf, startChatServer, startNgircd, type BenchServer } from "./peers.js";
import { finish } from "./result.js";
import { settle } from "./settle.js";

const quick = process.env.BENCH_QUICK === "1";
const idleClients = quick ? 1_000 : 5_000;
const seconds = quick ? 3 : 8;
const rounds = quick ? 1 : 2;
const saturationRounds = quick ? 1 : 3;
const inFlight = 64;
const saturationTarget = 1.5;
// The memory targets of issue #20.
const idleRssTarget = 45 * 2 ** 20;
const perClientTarget = 6 * 1024;
const peakTarget = 2;

// The whole run is bounded: a stuck server must not hang CI.
exitAfter(8);
pinSelf();

interface PacedRound {
  /** RSS of the fresh process before any client. */
  idle: number;
  /** VmHWM after the paced fan-out: its peak. */
  peak: number;
  paced: FanoutResult;
  /** 10 x 100 msg/s after it, in the first round only. */
  light: FanoutResult | undefined;
}

async function withServer<R>(start: () => Promise<BenchServer | undefined>, use: (server: BenchServer) => Promise<R>): Promise<R> {
  const server = await start();
  if (!server) throw new Error("ngircd is not installed (apt-get install -y ngircd): no comparison can be made");
  try {
    return await use(server);
  } finally {
    await server.stop();
    await settle(500);
  }
}

/** A fresh process per round: its idle RSS, the paced fan-out, its peak RSS. */
async function pacedRound(server: BenchServer, round: number): Promise<PacedRound> {
  const connect = tcpClients(server.port, { batch: server.batch });
  const cpu = () => cpuSeconds(server.pid);
  await settle(1_000);
  const idle = rssBytes(server.pid);
  const paced = await fanoutRun(connect, { seconds, cpu });
  const peak = peakRssBytes(server.pid);
  const light = round === 0 ? await fanoutRun(connect, { seconds: Math.min(seconds, 4), rate: 100, cpu }) : undefined;
  return { idle, peak, paced, light };
}

// Saturation runs on fresh processes too: ngircd never shrinks its connection table, and
// chat-server's cost per delivery settles differently from one process to the next.
const saturation = (server: BenchServer): Promise<SaturationResult> =>
  saturationRun(tcpClients(server.port, { batch: server.batch }), { seconds, inFlight, cpu: () => cpuSeconds(server.pid) });

const starts = { ngircd: startNgircd, "chat-server": () => startChatServer() };
type Name = keyof typeof starts;
const names = Object.keys(starts) as Name[];

const memory = new Map<Name, IdleMemory>();
for (const name of names) {
  memory.set(name, await withServer(starts[name], (server) => idleMemory(server.pid, tcpClients(server.port, { batch: server.batch }), idleClients)));
}
const paced = await runAlternating(names.map((name) => ({ name, run: (round: number) => withServer(starts[name], (server) => pacedRound(server, round)) })), rounds);
const saturated = await runAlternating(names.map((name) => ({ name, run: () => withServer(starts[name], saturation) })), saturationRounds);

const of = <R>(results: Map<string, R[]>, name: Name): R[] => results.get(name) ?? [];
const best = <R>(list: R[], score: (r: R) => number): R => list.reduce((a, b) => (score(b) > score(a) ? b : a));

console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores (other work on the machine moves every figure but CPU per delivery)`);
console.log(`\n200 clients in #bench, 10 senders x 400 msg/s, ${seconds} s window, best of ${rounds} alternating rounds, each on a fresh process pinned to one core\n`);
console.log("| server | delivered/s | undelivered 2 s after the end | p50 ms | p99 ms | max ms | server CPU s per million deliveries | RSS before any client | peak RSS under the fan-out |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const name of names) {
  const round = best(of(paced, name), (r) => r.paced.delivered);
  const f = round.paced;
  console.log(`| ${name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fixed(f.p50, 2)} | ${fixed(f.p99, 2)} | ${fixed(f.max)} | ${fixed(f.cpuPerMillion, 2)} | ${bytes(round.idle)} | ${bytes(round.peak)} |`);
}
console.log("\nFor reference, 10 senders x 100 msg/s (about 199,000 offered deliveries/s), first round:\n");
console.log("| server | delivered/s | undelivered | p50 ms | p99 ms | server CPU s per million deliveries |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const name of names) {
  const f = of(paced, name)[0]?.light;
  if (f) console.log(`| ${name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fixed(f.p50, 2)} | ${fixed(f.p99, 2)} | ${fixed(f.cpuPerMillion, 2)} |`);
}
console.log(`\nSaturation: 10 senders with no pacing, each keeping at most ${inFlight} messages in flight (acknowledged when one receiver has them), same channel and window, best of ${saturationRounds} alternating rounds on fresh processes:\n`);
console.log("| server | delivered/s | undelivered after the drain | p50 ms | p99 ms | max ms | server CPU s per million deliveries | load generator CPU, share of its core | slowest sender's sends / fastest's | clients cut |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const name of names) {
  const f = best(of(saturated, name), (r) => r.delivered);
  console.log(`| ${name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fixed(f.p50, 2)} | ${fixed(f.p99, 2)} | ${fixed(f.max)} | ${fixed(f.cpuPerMillion, 2)} | ${fixed(f.generatorCpu, 2)} | ${fixed(f.slowestSender, 3)} | ${f.cut} |`);
  if (f.outOfOrder > 0) console.log(`\n${name}: ${f.outOfOrder} messages reached the acknowledging receiver out of sequence`);
}
console.log(`\nMemory: ${int(idleClients)} idle registered clients on a fresh process (RSS before connecting them and 3 s after the last registered):\n`);
console.log("| server | RSS before any client | RSS with the idle clients | bytes per idle client |");
console.log("| --- | ---: | ---: | ---: |");
for (const name of names) {
  const m = memory.get(name);
  if (m) console.log(`| ${name} | ${bytes(m.before)} | ${bytes(m.after)} | ${int(m.perClient)} |`);
}

/** chat-server's figure with ngircd's beside it. */
function compared(metric: Omit<Metric, "alternative" | "value">, pick: (name: Name) => number): Metric {
  return { ...metric, value: pick("chat-server"), alternative: { name: "ngircd", value: pick("ngircd") } };
}
const idle = (name: Name): IdleMemory => memory.get(name) ?? { before: Number.NaN, after: Number.NaN, perClient: Number.NaN };
const peakRatios = (name: Name): number[] => of(paced, name).map((r) => r.peak / r.idle);
const pacedOf = (name: Name): FanoutResult[] => of(paced, name).map((r) => r.paced);
const deliveries = (name: Name): number[] => pacedOf(name).map((f) => f.delivered);
const p99s = (name: Name): number[] => pacedOf(name).map((f) => f.p99);
const saturations = (name: Name): number[] => of(saturated, name).map((f) => f.delivered);
const bestSaturation = (name: Name): SaturationResult => best(of(saturated, name), (f) => f.delivered);
const lightP99 = (name: Name): number => of(paced, name)[0]?.light?.p99 ?? Number.NaN;
const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });

const metrics: Metric[] = [
  compared({ name: "RSS before any client", unit: "B", target: { max: idleRssTarget }, note: "VmRSS of a fresh process once it stops falling (settled)" }, (name) => idle(name).before),
  compared({ name: "RSS per idle client", unit: "B", target: { max: perClientTarget }, note: `settled RSS growth over ${idleClients} registered, silent clients` }, (name) => idle(name).perClient),
  {
    ...compared({ name: "peak RSS under the 200-client fan-out / RSS before any client", unit: "x", target: { max: peakTarget }, note: "VmHWM after 10 x 400 msg/s over VmRSS of the same fresh process before any client; worst round" }, (name) => Math.max(...peakRatios(name))),
    range: range(peakRatios("chat-server")),
  },
  {
    ...compared({ name: "fan-out delivered/s, 200 clients, 10 senders x 400 msg/s", unit: "msg/s", note: `best of ${rounds} alternating rounds` }, (name) => Math.max(...deliveries(name))),
    range: range(deliveries("chat-server")),
    ratio: ratio(deliveries("chat-server"), deliveries("ngircd")),
  },
  compared({ name: "fan-out undelivered messages, all rounds", unit: "msg", target: { max: 0 } }, (name) => pacedOf(name).reduce((sum, f) => sum + f.lost, 0)),
  {
    ...compared({ name: "fan-out p99 latency", unit: "ms", target: { max: Math.min(...p99s("ngircd")) }, note: "target: ngircd's in the same run; lowest of the rounds" }, (name) => Math.min(...p99s(name))),
    ratio: ratio(p99s("chat-server"), p99s("ngircd"), { better: "lower" }),
  },
  compared({ name: "fan-out p99 latency, 10 senders x 100 msg/s", unit: "ms" }, lightP99),
  {
    ...compared(
      { name: "saturation delivered/s", unit: "msg/s", target: { min: saturationTarget * Math.max(...saturations("ngircd")) }, note: `target: ${saturationTarget}x ngircd's; best of ${saturationRounds} alternating rounds on fresh processes` },
      (name) => Math.max(...saturations(name)),
    ),
    range: range(saturations("chat-server")),
    ratio: ratio(saturations("chat-server"), saturations("ngircd")),
  },
  compared({ name: "server CPU per million deliveries at saturation", unit: "s", note: "the best round's" }, (name) => bestSaturation(name).cpuPerMillion),
];
const deliveryRatio = ratio(saturations("chat-server"), saturations("ngircd"));
console.log(`\nsaturation delivered/s, chat-server / ngircd: ${times(deliveryRatio.best)} (per round ${times(deliveryRatio.min)}-${times(deliveryRatio.max)})`);
finish("fan-out", "bench:fanout", metrics);
process.exit();
