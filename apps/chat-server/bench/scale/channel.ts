// Scenario b: one big channel, a few senders: deliveries per second and latency.
import { cpuSeconds, int, type Metric } from "@netlab/bench-kit";
import { LoadGenerator, type SendResult } from "../loadgen/coordinator.js";
import { beside } from "./alternatives.js";
import { startChatServer } from "./chat-server.js";
import { inspircdProgram, startInspircd } from "./inspircd.js";
import { ngircdProgram, startNgircd } from "./ngircd.js";
import type { ScaleOptions } from "./options.js";
import type { Server } from "./server.js";
import { loadAverage } from "./load-average.js";
import { settle } from "../settle.js";

interface ChannelFigures extends SendResult {
  server: string;
  /** Server CPU seconds (user + system) per million deliveries: its cost even when the load, not the server, sets the rate. */
  cpuPerMillion: number;
}

async function channelOn(start: () => Promise<Server>, options: ScaleOptions): Promise<ChannelFigures> {
  const server = await start();
  // Two workers on core 0 share the parsing of the deliveries.
  const load = new LoadGenerator({
    targets: [{ host: server.host, port: server.port }], clients: options.channelSize, workers: 2, rate: options.registerRate,
    maxPending: server.maxPending, cpus: "0", log: (line) => console.log(`  ${server.name}: ${line}`), stallMs: 20_000,
  });
  try {
    await load.register();
    await load.join({ channels: 1, size: options.channelSize, rate: 1_000 });
    await settle(1_000);
    const cpuBefore = cpuSeconds(server.pid);
    const result = await load.send({ senders: options.senders, ratePerSecond: options.sendRate, durationMs: options.seconds * 1_000 });
    const cpuPerMillion = ((cpuSeconds(server.pid) - cpuBefore) / result.delivered) * 1e6;
    console.log(`  ${server.name}: ${int(result.delivered)} of ${int(result.expected)} delivered, ${int(result.perSecond)}/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms`);
    return { server: server.name, ...result, cpuPerMillion };
  } finally {
    await load.close();
    await server.stop();
  }
}

export async function channel(options: ScaleOptions): Promise<Metric[]> {
  console.log(`\n== one channel of ${int(options.channelSize)}, ${options.senders} senders at ${options.sendRate} msg/s for ${options.seconds} s ==`);
  const ours = await channelOn(() => startChatServer({ core: 1 }), options);
  const peers: ChannelFigures[] = [];
  if (options.peers && ngircdProgram()) peers.push(await channelOn(() => startNgircd(1), options));
  if (options.peers && inspircdProgram()) peers.push(await channelOn(() => startInspircd(1), options));
  const of = (pick: (f: ChannelFigures) => number) => peers.map((f) => ({ name: f.server, value: pick(f) }));
  const how = `${int(options.channelSize)} members, ${options.senders} senders x ${options.sendRate} msg/s x ${options.seconds} s; server on core 1, load on core 0; ${loadAverage()}`;
  return [
    ...beside({ name: "deliveries/s", unit: "msg/s", value: ours.perSecond, note: `${how}; from the first send to the last delivery` }, of((f) => f.perSecond)),
    ...beside({ name: "server CPU per million deliveries", unit: "s", value: ours.cpuPerMillion, note: "user + system seconds of the server process over the send window and drain" }, of((f) => f.cpuPerMillion)),
    ...beside({ name: "p99 latency", unit: "ms", value: ours.latencyMs.p99 }, of((f) => f.latencyMs.p99)),
    ...beside({ name: "p50 latency", unit: "ms", value: ours.latencyMs.p50 }, of((f) => f.latencyMs.p50)),
    ...beside({ name: "messages undelivered", unit: "msg", value: ours.expected - ours.delivered, target: { max: 0 }, note: `${int(ours.expected)} expected (sent x other members)` }, of((f) => f.expected - f.delivered)),
  ];
}
