// Scenario c: several chat-server processes on one Redis: clients held, deliveries across nodes, Redis memory per user, and a node killed.
import { bytes, cpuSeconds, int, type Metric, rssBytes } from "@netlab/bench-kit";
import { startRedis } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { nowMs } from "../loadgen/clock.js";
import { LoadGenerator, MAX_CLIENTS_PER_WORKER } from "../loadgen/coordinator.js";
import { LoadLimitError } from "../loadgen/errors.js";
import { startChatServer } from "./chat-server.js";
import type { ScaleOptions } from "./options.js";
import { pidsOf, type Server, track, untrack } from "./server.js";
import { loadAverage } from "./load-average.js";
import { settle } from "../settle.js";

/** Clients one chat-server process may hold: its open-file limit is 20,000. */
const MAX_PER_PROCESS = 19_500;

/** How many times the nodes logged `message` so far (their output is kept by the test kit). */
function logged(nodes: Server[], message: string): number {
  const needle = `"msg":"${message}"`;
  return nodes.reduce((sum, node) => sum + node.handle.output().split(needle).length - 1, 0);
}

/** When the first live node logged the loss of `node` (epoch ms), from the nodes' pino lines. */
function lossLoggedAt(nodes: Server[], node: string): number {
  const times = nodes.flatMap((server) =>
    [...server.handle.output().matchAll(/"time":(\d+)[^\n]*"node":"([^"]+)"[^\n]*"msg":"cluster node lost"/g)].filter((match) => match[2] === node || match[2]?.startsWith(`${node}-`)).map((match) => Number(match[1])),
  );
  return times.length > 0 ? Math.min(...times) : Number.NaN;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
}

export async function cluster(options: ScaleOptions): Promise<Metric[]> {
  const { nodes: count, workers, clusterClients: clients, leaseMs } = options;
  // Connections are dealt to a node's workers in turn, so each holds its share.
  if (Math.ceil(clients / count / workers) > MAX_PER_PROCESS) {
    throw new RangeError(`${int(clients)} clients on ${count} nodes of ${workers} processes is over ${int(MAX_PER_PROCESS)} per process (open-file limit): use --workers ${Math.ceil(clients / count / MAX_PER_PROCESS)} or more`);
  }
  console.log(`\n== cluster: ${count} chat-server nodes of ${workers} process(es) on one Redis, ${int(clients)} clients, ${options.clusterChannels} channels of ${int(options.channelSize)} ==`);
  const redis = await startRedis();
  if (redis.pid) track(redis.pid);
  const info = new Redis(redis.url);
  const nodes: Server[] = [];
  let load: LoadGenerator | undefined;
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(await startChatServer({ name: `node ${i}`, workers, extra: ["--redis", redis.url, "--node-id", `scale-${i}`, "--cluster-lease-ms", String(leaseMs)] }));
    }
    await settle(2_000);
    const memoryBefore = await usedMemory(info);
    const nodesRss = (): number => nodes.flatMap(pidsOf).reduce((sum, pid) => sum + rssBytes(pid), 0);
    const rssBefore = nodesRss();
    load = new LoadGenerator({
      targets: nodes.map((node) => ({ host: node.host, port: node.port })), clients, workers: Math.max(2, Math.ceil(clients / MAX_CLIENTS_PER_WORKER)),
      rate: options.registerRate, maxPending: 1_000, log: (line) => console.log(`  ${line}`), stallMs: 30_000,
    });
    const counts = new Uint32Array(nodes.length);
    for (let g = 0; g < clients; g++) counts[load.target(g)] = (counts[load.target(g)] ?? 0) + 1;
    const spread = [...counts];
    console.log(`  clients per node: ${spread.map(int).join(", ")}`);
    const { held, ms: registerMs, limit } = await load.registerHeld();
    if (limit) console.log(`  ${limit}`);
    const heldNote = `${count} chat-server nodes of ${workers} process(es) (--workers ${workers}), clients per node ${spread.map(int).join("/")}${limit ? `; stopped: ${limit}` : ""}`;
    const metrics: Metric[] = [
      { name: "clients held", unit: "clients", value: held, ...(options.full ? { target: { min: 100_000 } } : {}), note: heldNote },
      { name: "time to register all", unit: "ms", value: registerMs, note: `at most ${int(options.registerRate)} new connections/s` },
    ];
    if (limit) return metrics;

    const channels = options.clusterChannels;
    const joined = await load.join({ channels, size: options.channelSize, rate: 2_000 });
    console.log(`  ${int(joined.members)} members joined in ${(joined.ms / 1000).toFixed(1)} s`);
    await settle(2_000);
    const memoryAfter = await usedMemory(info);
    const rssPerClient = (nodesRss() - rssBefore) / clients;
    const loadRss = load.workerPids().reduce((sum, pid) => sum + rssBytes(pid), 0);
    console.log(`  load workers: ${bytes(loadRss)} RSS for ${int(clients)} clients (${int(loadRss / clients)} B per client, the workers' own runtime included)`);
    metrics.push(
      { name: "Redis memory per user", unit: "B", value: (memoryAfter - memoryBefore) / clients, note: `INFO used_memory after - before / ${int(clients)} users, ${int(joined.members)} of them in ${channels} channels` },
      { name: "node RSS per client", unit: "B", value: rssPerClient, note: `all nodes' RSS growth / clients, ${int(joined.members)} in channels` },
    );

    const send = { senders: options.clusterSenders, ratePerSecond: options.clusterSendRate, durationMs: options.seconds * 1_000, drainMs: 10_000 };
    const cpu = (): number => [...nodes.flatMap(pidsOf), redis.pid ?? 0].reduce((sum, pid) => sum + (pid ? cpuSeconds(pid) : 0), 0);
    const cpuBefore = cpu();
    const round = await load.send(send);
    const cpuPerMillion = ((cpu() - cpuBefore) / round.delivered) * 1e6;
    console.log(`  ${int(round.delivered)} of ${int(round.expected)} delivered, ${int(round.perSecond)}/s, p50 ${round.latencyMs.p50.toFixed(2)} ms, p99 ${round.latencyMs.p99.toFixed(2)} ms; ${int(round.quits)} QUITs and ${int(round.lost)} connections lost during the round`);
    // A node too starved of CPU to renew its lease is declared lost by the others, and its users quit there.
    const falseLosses = logged(nodes, "this node was found lost by the others; rejoining");
    const how = `${send.senders} senders over ${channels} channels of ${int(options.channelSize)} spanning ${count} nodes of ${workers} process(es), ${send.ratePerSecond} msg/s each for ${options.seconds} s; ${loadAverage()}`;
    metrics.push(
      { name: "messages undelivered", unit: "msg", value: round.expected - round.delivered, target: { max: 0 }, note: `${int(round.delivered)} of ${int(round.expected)} (sent x other members); ${int(round.quits)} QUITs seen and ${int(round.lost)} connections lost during the round; ${how}` },
      { name: "live nodes declared lost", unit: "events", value: falseLosses, target: { max: 0 }, note: `"found lost by the others" in the nodes' logs before the kill: a node that missed its ${leaseMs} ms lease` },
      { name: "deliveries/s", unit: "msg/s", value: round.perSecond, note: how },
      { name: "nodes + Redis CPU per million deliveries", unit: "s", value: cpuPerMillion, note: "user + system seconds of every node and Redis over the send window and drain" },
      { name: "p99 latency across nodes", unit: "ms", value: round.latencyMs.p99 },
      { name: "p50 latency across nodes", unit: "ms", value: round.latencyMs.p50 },
    );

    // Kill the last node outright, all its processes (a machine gone): the others must quit its users within the lease, and go on delivering.
    const victim = nodes.length - 1;
    const killed = nodes[victim] as Server;
    const expectedQuits = load.expectedQuits(victim);
    load.reset();
    await settle(500);
    const killedAt = nowMs();
    for (const pid of pidsOf(killed)) process.kill(pid, "SIGKILL");
    let quitMs = Number.NaN;
    let firstQuitMs = Number.NaN;
    let quitNote = `${int(expectedQuits)} QUITs expected (its channel members x the live members)`;
    try {
      const seen = await load.waitForQuits(expectedQuits, leaseMs + 60_000);
      quitMs = seen.lastQuitAt - killedAt;
      firstQuitMs = seen.firstQuitAt - killedAt;
    } catch (error) {
      if (!(error instanceof LoadLimitError)) throw error;
      quitNote += `; ${error.message}`;
    }
    // The live nodes' own log lines say when they noticed; the QUIT lines then take their turn on the wire.
    const detectedMs = lossLoggedAt(nodes.filter((_, i) => i !== victim), `scale-${victim}`) - killedAt;
    console.log(`  node ${victim} killed: ${quitNote}; its loss logged ${(detectedMs / 1000).toFixed(2)} s, the first QUIT seen ${(firstQuitMs / 1000).toFixed(2)} s, the last ${(quitMs / 1000).toFixed(2)} s after SIGKILL`);
    metrics.push(
      { name: "loss noticed after SIGKILL of one node", unit: "ms", value: detectedMs, target: { max: leaseMs }, note: `lease ${leaseMs} ms: the first live node's "cluster node lost" log line, when its users quit there` },
      { name: "first QUIT seen after SIGKILL of one node", unit: "ms", value: firstQuitMs, note: `lease ${leaseMs} ms: the first QUIT line a client of a live node read` },
      { name: "every QUIT seen after SIGKILL of one node", unit: "ms", value: quitMs, note: `time until the other nodes' clients saw every QUIT, lease ${leaseMs} ms; ${quitNote}` },
    );
    const after = await load.send({ ...send, skipTargets: [victim] });
    console.log(`  after the kill: ${int(after.delivered)} of ${int(after.expected)} delivered, p99 ${after.latencyMs.p99.toFixed(2)} ms`);
    metrics.push(
      { name: "messages undelivered after a node was killed", unit: "msg", value: after.expected - after.delivered, target: { max: 0 }, note: `${int(after.delivered)} of ${int(after.expected)} among the ${count - 1} live nodes` },
      { name: "p99 latency after a node was killed", unit: "ms", value: after.latencyMs.p99 },
    );
    return metrics;
  } finally {
    await load?.close();
    for (const node of nodes) await node.stop();
    info.disconnect();
    if (redis.pid) untrack(redis.pid);
    await redis.stop();
  }
}
