// Cluster mode against a single node in one run: the same channel load on one chat-server,
// then on two chat-server nodes sharing one Redis, with the 200 clients split between them.
// Usage: pnpm --filter @netlab/chat-server bench:cluster   (BENCH_QUICK=1 for a short run)
import os from "node:os";
import { cpuSeconds, fixed, int, ratio, runAlternating, type Metric } from "@netlab/bench-kit";
import { startRedis } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { fanoutRun, type FanoutResult } from "./channel-load.js";
import { closeClients, spreadClients, tcpClients, type ConnectClients } from "./irc-load-client.js";
import { exitAfter, pinSelf, startChatServer } from "./peers.js";
import { finish } from "./result.js";
import { settle } from "./settle.js";

const quick = process.env.BENCH_QUICK === "1";
const seconds = quick ? 3 : 6;
const rounds = quick ? 1 : 3;
const rates = [400, 1_000];
const target = 0.7;

exitAfter(6);
pinSelf();

/** Redis memory per user: 1,000 users on the nodes, each in 3 channels of 100, against an empty network. */
async function redisMemory(url: string, ports: number[]): Promise<{ users: number; channels: number; perUser: number }> {
  const redis = new Redis(url);
  const used = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
  const before = await used();
  const users = 1_000;
  const groups = await Promise.all(ports.map((port, node) => tcpClients(port, { node, batch: 50 })(users / ports.length, `m${node}x`)));
  const clients = groups.flat();
  for (const [i, client] of clients.entries()) {
    client.send(`JOIN #m${i % 10},#n${(i + 3) % 10},#o${(i + 7) % 10}`);
    await client.waitFor(/ 366 [\s\S]* 366 [\s\S]* 366 /);
  }
  await settle(1_000);
  const after = await used();
  closeClients(clients);
  await settle(1_000);
  await redis.quit();
  return { users, channels: 30, perUser: (after - before) / users };
}

const redis = await startRedis();
const cluster = ["--history", "none", "--redis", redis.url, "--cluster-lease-ms", "5000"];
// Every server runs on core 1 (taskset), the load generator on core 0; Redis is not pinned.
const single = await startChatServer(["--history", "none"], "single node");
const nodes = [await startChatServer([...cluster, "--node-id", "bench-a"], "node a"), await startChatServer([...cluster, "--node-id", "bench-b"], "node b")];
const setups: { name: string; connect: ConnectClients; pids: number[] }[] = [
  { name: "1 node", connect: tcpClients(single.port), pids: [single.pid] },
  { name: "2 nodes + Redis", connect: spreadClients(nodes.map((node) => node.port)), pids: [...nodes.map((node) => node.pid), ...(redis.pid ? [redis.pid] : [])] },
];
const results = new Map<number, Map<string, FanoutResult[]>>();
let memory: Awaited<ReturnType<typeof redisMemory>>;
try {
  memory = await redisMemory(redis.url, nodes.map((node) => node.port));
  for (const rate of rates) {
    // Both setups take turns, so a burst of other work on the machine hits both alike.
    const variants = setups.map((setup) => ({
      name: setup.name,
      run: async () => {
        const cpu = () => setup.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
        const run = await fanoutRun(setup.connect, { seconds, rate, cpu });
        await settle(1_000);
        return run;
      },
    }));
    results.set(rate, await runAlternating(variants, rounds));
  }
} finally {
  for (const server of [single, ...nodes]) await server.stop();
  await redis.stop();
}

const bestOf = (runs: FanoutResult[]): FanoutResult | undefined => runs.reduce<FanoutResult | undefined>((a, b) => (a && a.delivered >= b.delivered ? a : b), undefined);
console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
console.log(`\n200 clients in #bench (split 100/100 between the nodes), 10 senders (5 per node), ${seconds} s window, best of ${rounds} alternating rounds; servers on core 1, load generator on core 0\n`);
console.log("| setup | msg/s per sender | delivered/s | undelivered 2 s after the end | p50 ms | p99 ms | cross-node p50 ms | cross-node p99 ms | CPU s per million deliveries (servers + Redis) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const rate of rates) {
  for (const setup of setups) {
    const r = bestOf(results.get(rate)?.get(setup.name) ?? []);
    if (r) console.log(`| ${setup.name} | ${rate} | ${int(r.delivered)} | ${r.lost} of ${int(r.expected)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${fixed(r.crossP50, 2)} | ${fixed(r.crossP99, 2)} | ${fixed(r.cpuPerMillion, 2)} |`);
  }
}
console.log(`\nRedis memory with ${memory.users} users, each in 3 of ${memory.channels} channels: ${int(memory.perUser)} bytes per user (nicks, users hashes, channel state), from INFO used_memory`);

const metrics: Metric[] = [];
for (const rate of rates) {
  const two = results.get(rate)?.get("2 nodes + Redis") ?? [];
  const one = results.get(rate)?.get("1 node") ?? [];
  const delivered = (runs: FanoutResult[]): number[] => runs.map((r) => r.delivered);
  const bestOne = Math.max(...delivered(one));
  // The paced rate is the target; the higher one is for reference.
  const metric: Metric = {
    name: `delivered/s, 2 nodes + Redis, 10 senders x ${rate} msg/s`,
    unit: "msg/s",
    value: Math.max(...delivered(two)),
    alternative: { name: "1 node", value: bestOne },
    ratio: ratio(delivered(two), delivered(one)),
    note: `best of ${rounds} alternating rounds${rate === rates[0] ? `; target: ${target}x 1 node's` : ", for reference"}`,
  };
  if (rate === rates[0]) metric.target = { min: target * bestOne };
  metrics.push(metric, { name: `cross-node p99 latency, 10 senders x ${rate} msg/s`, unit: "ms", value: bestOf(two)?.crossP99 ?? Number.NaN });
}
metrics.push({ name: "Redis memory per user, each in 3 channels", unit: "B", value: memory.perUser, note: `${memory.users} users, INFO used_memory` });
finish("cluster", "bench:cluster", metrics);
process.exit();
