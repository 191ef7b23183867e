// IRC over WebSocket against TCP in one run, on the same chat-server build: the channel fan-out
// (200 clients in #bench, 10 senders; saturation, then paced) with every client a WebSocket
// client (the ws package, text.ircv3.net) or every one a TCP client, fresh servers per run and
// the order alternating by round; and the memory of 2,000 idle registered clients of each kind.
// Usage: pnpm --filter @netlab/chat-server bench:websocket   (BENCH_QUICK=1 for a short run)
import os from "node:os";
import { performance } from "node:perf_hooks";
import { bytes, cpuSeconds, fixed, int, ratio, runAlternating, times, type Metric } from "@netlab/bench-kit";
import { freePort, waitForPort } from "@netlab/test-kit";
import { fanoutRun, saturationRun, type FanoutResult, type SaturationResult } from "./channel-load.js";
import { idleMemory, type IdleMemory } from "./idle-memory.js";
import { tcpClients, type ConnectClients } from "./irc-load-client.js";
import { exitAfter, pinSelf, startChatServer, type BenchServer } from "./peers.js";
import { finish } from "./result.js";
import { settle } from "./settle.js";
import { wsClients } from "./ws-load-client.js";

const quick = process.env.BENCH_QUICK === "1";
const rounds = quick ? 1 : 3;
const saturationSeconds = quick ? 2 : 4;
const pacedSeconds = quick ? 2 : 3;
const pacedRate = 400;
const inFlight = 64;
const idleClients = quick ? 500 : 2_000;
const ratioTarget = 0.8;

// The whole run is bounded: a stuck server must not hang CI (it takes about 2 minutes).
exitAfter(4);
pinSelf();

interface WsServer extends BenchServer {
  wsPort: number;
}

const servers: BenchServer[] = [];
/** A fresh chat-server (pinned to core 1) with its WebSocket listener on a free port. */
async function start(name: string): Promise<WsServer> {
  const wsPort = await freePort();
  const server = await startChatServer(["--history", "none", "--websocket-port", String(wsPort), "--no-web-client"], name);
  servers.push(server);
  await waitForPort(wsPort);
  return { ...server, wsPort };
}

const kinds = [
  { name: "TCP", connect: (server: WsServer): ConnectClients => tcpClients(server.port, { batch: 50 }) },
  { name: "WebSocket (text.ircv3.net)", connect: (server: WsServer): ConnectClients => wsClients(server.wsPort) },
];

interface FanoutRound {
  saturation: SaturationResult;
  paced: FanoutResult;
}

async function main(): Promise<void> {
  const began = performance.now();
  // Memory first, each kind on a fresh process.
  const memory = new Map<string, IdleMemory>();
  for (const kind of kinds) {
    const server = await start(`memory ${kind.name}`);
    try {
      memory.set(kind.name, await idleMemory(server.pid, kind.connect(server), idleClients));
    } finally {
      await server.stop();
    }
    await settle(500);
  }

  // Fan-out: a fresh process per kind and round (saturation, then paced on the same one), the order alternating.
  const fanout = await runAlternating(
    kinds.map((kind) => ({
      name: kind.name,
      run: async (round: number): Promise<FanoutRound> => {
        const server = await start(`${kind.name} round ${round + 1}`);
        try {
          const cpu = () => cpuSeconds(server.pid);
          const saturation = await saturationRun(kind.connect(server), { seconds: saturationSeconds, inFlight, cpu });
          await settle(500);
          const paced = await fanoutRun(kind.connect(server), { seconds: pacedSeconds, rate: pacedRate, cpu });
          return { saturation, paced };
        } finally {
          await server.stop();
          await settle(500);
        }
      },
    })),
    rounds,
  );
  const roundsOf = (name: string): FanoutRound[] => fanout.get(name) ?? [];
  const [tcp, ws] = kinds.map((kind) => kind.name);
  if (!tcp || !ws) throw new RangeError("two kinds of client");

  console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores; Node ${process.version}; the run took ${fixed((performance.now() - began) / 1000, 0)} s`);
  console.log(`\nFan-out: 200 clients in #bench, all TCP or all WebSocket (ws package, text.ircv3.net, one line per message), 10 of them sending; fresh chat-server per run (\`--history none --websocket-port P --no-web-client\`, pinned to core 1), the load generator on core 0; ${rounds} rounds, the order alternating.`);
  console.log(`\nSaturation: 10 senders, no pacing, at most ${inFlight} messages each that one receiver has not seen, ${saturationSeconds} s window after 1 s; the round with the most deliveries/s kept:\n`);
  console.log("| clients | delivered/s | undelivered after the drain | p50 ms | p99 ms | max ms | server CPU s per million deliveries | server core busy | load generator CPU, share of its core | clients cut |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const bestSaturation = (name: string): SaturationResult | undefined => roundsOf(name).map((r) => r.saturation).reduce<SaturationResult | undefined>((a, b) => (a && a.delivered >= b.delivered ? a : b), undefined);
  const bestPaced = (name: string): FanoutResult | undefined => roundsOf(name).map((r) => r.paced).reduce<FanoutResult | undefined>((a, b) => (a && a.p99 <= b.p99 ? a : b), undefined);
  for (const name of [tcp, ws]) {
    const f = bestSaturation(name);
    if (f) console.log(`| ${name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fixed(f.p50, 2)} | ${fixed(f.p99, 2)} | ${fixed(f.max)} | ${fixed(f.cpuPerMillion, 3)} | ${fixed(f.serverBusy * 100, 0)} % | ${fixed(f.generatorCpu, 2)} | ${f.cut} |`);
  }
  console.log(`\nPaced: 10 senders x ${pacedRate} msg/s (${int(10 * pacedRate * 199)} deliveries/s offered), ${pacedSeconds} s window after 1 s, on the same process after the saturation pass; the round with the lowest p99 kept:\n`);
  console.log("| clients | delivered/s | undelivered 2 s after the end | p50 ms | p99 ms | max ms | server CPU s per million deliveries |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const name of [tcp, ws]) {
    const f = bestPaced(name);
    if (f) console.log(`| ${name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fixed(f.p50, 2)} | ${fixed(f.p99, 2)} | ${fixed(f.max)} | ${fixed(f.cpuPerMillion, 3)} |`);
  }
  console.log(`\nMemory: ${int(idleClients)} idle registered clients of each kind on a fresh process (RSS of the server before connecting them and 3 s after the last registered):\n`);
  console.log("| clients | RSS before | RSS with the idle clients | bytes per idle client |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [name, m] of memory) console.log(`| ${name} | ${bytes(m.before)} | ${bytes(m.after)} | ${int(m.perClient)} |`);

  const delivered = (name: string): number[] => roundsOf(name).map((r) => r.saturation.delivered);
  const cpuPerMillion = (name: string): number[] => roundsOf(name).map((r) => r.saturation.cpuPerMillion);
  const deliveredRatio = ratio(delivered(ws), delivered(tcp));
  console.log(`\nWebSocket / TCP: saturation delivered/s ${times(deliveredRatio.best, 3)} (per round ${times(deliveredRatio.min, 3)}-${times(deliveredRatio.max, 3)})`);
  const all = [...roundsOf(tcp), ...roundsOf(ws)];
  const lost = all.reduce((n, r) => n + r.saturation.lost + r.paced.lost, 0);
  const outOfOrder = all.reduce((n, r) => n + r.saturation.outOfOrder, 0);
  const perClient = (name: string): number => memory.get(name)?.perClient ?? Number.NaN;
  const metrics: Metric[] = [
    { name: "fan-out undelivered messages, all rounds", unit: "msg", value: lost, target: { max: 0 } },
    { name: "messages out of their sender's order, all rounds", unit: "msg", value: outOfOrder, target: { max: 0 } },
    {
      name: "saturation delivered/s, WebSocket clients",
      unit: "msg/s",
      value: Math.max(...delivered(ws)),
      alternative: { name: "TCP", value: Math.max(...delivered(tcp)) },
      ratio: deliveredRatio,
      target: { min: ratioTarget * Math.max(...delivered(tcp)) },
      note: `target: ${ratioTarget}x TCP; best of ${rounds} alternating rounds on fresh servers`,
    },
    {
      name: "server CPU per million deliveries at saturation, WebSocket",
      unit: "s",
      value: Math.min(...cpuPerMillion(ws)),
      alternative: { name: "TCP", value: Math.min(...cpuPerMillion(tcp)) },
      ratio: ratio(cpuPerMillion(ws), cpuPerMillion(tcp), { better: "lower" }),
    },
    { name: "paced p99 latency, WebSocket", unit: "ms", value: bestPaced(ws)?.p99 ?? Number.NaN, alternative: { name: "TCP", value: bestPaced(tcp)?.p99 ?? Number.NaN } },
    { name: "RSS per idle client, WebSocket", unit: "B", value: perClient(ws), alternative: { name: "TCP", value: perClient(tcp) }, note: `${idleClients} registered, silent clients` },
  ];
  finish("websocket", "bench:websocket", metrics);
}

try {
  await main();
} finally {
  for (const server of servers) await server.stop().catch(() => {});
}
// Sockets still closing or a stray timer must not keep the run alive.
process.exit();
