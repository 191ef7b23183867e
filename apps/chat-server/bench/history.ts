// History cost and speed: CHATHISTORY round trips over a million stored messages (SQLite, then
// Redis Streams), and delivered msg/s with --history sqlite against --history none in one run.
// Usage: pnpm --filter @netlab/chat-server bench:history   (BENCH_QUICK=1 for a short run;
// BENCH_ONLY=sqlite|redis|throughput for one part)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { cpuSeconds, fixed, int, ratio, runAlternating, summarize, times, type Metric } from "@netlab/bench-kit";
import { redisProgram, startRedis } from "@netlab/test-kit";
import { createRedisHistory, openSqliteHistory, type HistoryStore } from "../dist/index.js";
import { fanoutRun, type FanoutResult } from "./channel-load.js";
import type { Filled, FillRequest } from "./history-fill.js";
import { historyClient } from "./history-client.js";
import { tcpClients } from "./irc-load-client.js";
import { exitAfter, pinSelf, startChatServer } from "./peers.js";
import { finish } from "./result.js";
import { settle } from "./settle.js";

const quick = process.env.BENCH_QUICK === "1";
const only = process.env.BENCH_ONLY;
const seconds = quick ? 3 : 6;
const rounds = quick ? 1 : 3;
// 10 senders x 1,000 msg/s to 199 members: 1.99 million deliveries/s offered, 2.5x the fan-out bench.
const rate = 1_000;
const storedMessages = quick ? 200_000 : 1_000_000;
const channels = 20;
const queries = quick ? 200 : 500;
const throughputTarget = 0.9;
const p99Target = 5;

exitAfter(12);
pinSelf();

const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** The same fan-out against both servers, alternating rounds: each one's rounds. */
async function throughput(): Promise<Map<string, FanoutResult[]>> {
  const servers = [
    await startChatServer(["--history", "sqlite", "--data-dir", tempDir("bench-history-")], "--history sqlite"),
    await startChatServer(["--history", "none"], "--history none"),
  ];
  try {
    const variants = servers.map((server) => ({
      name: server.name,
      run: async () => {
        const run = await fanoutRun(tcpClients(server.port, { batch: server.batch }), { seconds, rate, cpu: () => cpuSeconds(server.pid) });
        await settle(1_000);
        return run;
      },
    }));
    return await runAlternating(variants, rounds);
  } finally {
    for (const server of servers) await server.stop();
  }
}

function fillInWorker(request: FillRequest): Promise<Filled> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./history-fill.js", import.meta.url), { workerData: request });
    worker.once("message", (filled: Filled) => resolve(filled));
    worker.once("error", reject);
  });
}

interface HistoryRun {
  count: number;
  filled: Filled;
  /** The round with the lowest p99: its latencies by request kind. */
  timings: Map<string, number[]>;
  roundP99s: number[];
  /** Requests that returned fewer than 50 lines. */
  short: number;
  cpuMs: number;
  /** The same lookups in this process, straight on the store. */
  direct: number[];
}

/** CHATHISTORY of 100 lines, by kind, against a server whose store (sqlite or redis) holds `count` messages. */
async function chathistory(kind: "sqlite" | "redis", count: number): Promise<HistoryRun> {
  const dataDir = tempDir("bench-history-1m-");
  const redis = kind === "redis" ? await startRedis() : undefined;
  try {
    const filled = await fillInWorker({ kind, dataDir, url: redis?.url, count, channels });
    const flags = redis ? ["--redis", redis.url, "--history", "redis"] : ["--history", "sqlite", "--data-dir", dataDir];
    const openStore = (): HistoryStore => (redis ? createRedisHistory({ url: redis.url }) : openSqliteHistory({ dataDir }));
    return { ...(await measure(filled, flags, openStore)), count, filled };
  } finally {
    await redis?.stop();
  }
}

async function measure(filled: Filled, flags: string[], openStore: () => HistoryStore): Promise<Omit<HistoryRun, "count" | "filled">> {
  const pick = (list: readonly string[]): string => list[Math.floor(Math.random() * list.length)] ?? "";
  const msgidsOf = (c: number): string[] => filled.msgids[c] ?? [];
  // Each kind as channel -> request; references are sampled msgids away from the ends.
  const kinds: [string, (c: number) => string][] = [
    ["LATEST *", (c) => `CHATHISTORY LATEST #h${c} * 100`],
    ["BEFORE msgid", (c) => `CHATHISTORY BEFORE #h${c} msgid=${pick(msgidsOf(c).slice(2))} 100`],
    ["AFTER msgid", (c) => `CHATHISTORY AFTER #h${c} msgid=${pick(msgidsOf(c).slice(0, -2))} 100`],
    ["AROUND msgid", (c) => `CHATHISTORY AROUND #h${c} msgid=${pick(msgidsOf(c))} 100`],
  ];
  const server = await startChatServer([...flags, "--history-max-messages", "0", "--autoreplay-lines", "0"], "chathistory");
  let best: { p99: number; timings: Map<string, number[]> } | undefined;
  const roundP99s: number[] = [];
  let short = 0;
  let cpuMs = Number.NaN;
  try {
    const client = await historyClient(server.port, channels);
    for (let i = 0; i < 50; i++) await client.request(`CHATHISTORY LATEST #h${i % channels} * 100`);
    // The server's CPU time per request: steadier on a shared machine than the latencies.
    const cpuBefore = cpuSeconds(server.pid);
    // Rounds of requests; the round with the lowest p99 is kept, as the fan-out runs keep their best.
    for (let round = 0; round < rounds; round++) {
      const timings = new Map(kinds.map(([name]): [string, number[]] => [name, []]));
      for (let i = 0; i < queries; i++) {
        // One request at a time with a pause between, as a client scrolling back sends them (the
        // server coalesces writes to a client within 5 ms, so back-to-back requests would wait for that).
        await settle(10);
        const [name, make] = kinds[i % kinds.length] as (typeof kinds)[number];
        const { ms, lines } = await client.request(make(i % channels));
        if (lines < 50) short++;
        timings.get(name)?.push(ms);
      }
      const { p99 } = summarize([...timings.values()].flat());
      roundP99s.push(p99);
      if (!best || p99 < best.p99) best = { p99, timings };
    }
    cpuMs = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / (rounds * queries);
    client.close();
  } finally {
    await server.stop();
  }
  // The same lookups in this process, straight on the store: the database's share of the time.
  const store = openStore();
  const direct: number[] = [];
  for (let i = 0; i < queries; i++) {
    const c = i % channels;
    const started = performance.now();
    const at = await store.find(`#h${c}`, pick(msgidsOf(c).slice(2)));
    await store.range(`#h${c}`, { before: at, limit: 100, from: "end" });
    direct.push(performance.now() - started);
  }
  await store.close();
  return { timings: best?.timings ?? new Map(), roundP99s, short, cpuMs, direct };
}

/** Prints one store's CHATHISTORY table; returns its metrics (the p99 with a target for SQLite). */
function report(name: string, label: string, history: HistoryRun, fillWord: string): Metric[] {
  console.log(`\nCHATHISTORY over the socket, ${name}, 100 lines per request, ${int(history.count)} messages in ${channels} channels (${fillWord} took ${fixed(history.filled.seconds)} s), best of ${rounds} rounds of ${queries} requests\n`);
  console.log("| request | count | p50 ms | p99 ms | max ms |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const row = (what: string, values: number[]): void => {
    const s = summarize(values);
    console.log(`| ${what} | ${s.count} | ${fixed(s.p50, 2)} | ${fixed(s.p99, 2)} | ${fixed(s.max, 2)} |`);
  };
  for (const [kind, list] of history.timings) row(kind, list);
  const all = summarize([...history.timings.values()].flat());
  row("all", [...history.timings.values()].flat());
  row("in-process store find + range (no socket, for reference)", history.direct);
  console.log(`\np99 of each round, in order: ${history.roundP99s.map((p99) => `${fixed(p99, 2)} ms`).join(", ")} (the table shows the round with the lowest)`);
  console.log(`\nserver CPU per request (user + system, all rounds): ${fixed(history.cpuMs, 2)} ms`);
  const stored = `${int(history.count)} stored, ${label}`;
  const p99: Metric = { name: `CHATHISTORY 100 lines p99, ${stored}`, unit: "ms", value: all.p99, note: `best of ${rounds} rounds of ${queries} requests` };
  if (label === "SQLite") p99.target = { max: p99Target };
  return [
    { name: `CHATHISTORY 100 lines p50, ${stored}`, unit: "ms", value: all.p50 },
    p99,
    { name: `CHATHISTORY requests short of 50 lines, ${label}`, unit: "requests", value: history.short, target: { max: 0 } },
    { name: `server CPU per CHATHISTORY request, ${label}`, unit: "ms", value: history.cpuMs },
  ];
}

async function main(): Promise<void> {
  const wants = (part: string): boolean => !only || only === part;
  const redisMissing = redisProgram().skip;
  // CHATHISTORY first, while this process's heap is small; the fan-out load comes last.
  const sqlite = wants("sqlite") ? await chathistory("sqlite", storedMessages) : undefined;
  const redis = wants("redis") && !redisMissing ? await chathistory("redis", storedMessages) : undefined;
  const fanout = wants("throughput") ? await throughput() : undefined;

  console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
  const metrics: Metric[] = [];
  if (sqlite) metrics.push(...report("SQLite", "SQLite", sqlite, "bulk insert"));
  if (redis) metrics.push(...report("Redis Streams (--redis, cluster mode)", "Redis", redis, "pipelined commits"));
  else if (wants("redis")) console.log("\nRedis part skipped: redis-server is not installed (apt-get install redis-server)");
  if (fanout) {
    const withHistory = fanout.get("--history sqlite") ?? [];
    const without = fanout.get("--history none") ?? [];
    console.log(`\n200 clients in #bench, 10 senders x ${rate} msg/s (${fixed((10 * rate * 199) / 1e6, 2)} million deliveries/s offered), ${seconds} s window, best of ${rounds} alternating rounds, each server pinned to one core\n`);
    console.log("| server | delivered/s | p50 ms | p99 ms | server CPU s per million deliveries |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    const bestOf = (runs: FanoutResult[]): FanoutResult | undefined => runs.reduce<FanoutResult | undefined>((a, b) => (a && a.delivered >= b.delivered ? a : b), undefined);
    for (const [name, runs] of fanout) {
      const f = bestOf(runs);
      if (f) console.log(`| ${name} | ${int(f.delivered)} | ${fixed(f.p50)} | ${fixed(f.p99)} | ${fixed(f.cpuPerMillion, 2)} |`);
    }
    const delivered = (runs: FanoutResult[]): number[] => runs.map((f) => f.delivered);
    const cpu = (runs: FanoutResult[]): number[] => runs.map((f) => f.cpuPerMillion);
    const deliveredRatio = ratio(delivered(withHistory), delivered(without));
    console.log(`\n--history sqlite / --history none: delivered/s ${times(deliveredRatio.best, 3)}, CPU per delivery ${times(ratio(cpu(withHistory), cpu(without), { better: "lower" }).best, 3)}`);
    metrics.unshift(
      {
        name: `fan-out delivered/s with --history sqlite, 10 senders x ${rate} msg/s`,
        unit: "msg/s",
        value: Math.max(...delivered(withHistory)),
        alternative: { name: "--history none", value: Math.max(...delivered(without)) },
        ratio: deliveredRatio,
        target: { min: throughputTarget * Math.max(...delivered(without)) },
        note: `target: ${throughputTarget}x --history none's; best of ${rounds} alternating rounds`,
      },
      {
        name: "server CPU per million deliveries with --history sqlite",
        unit: "s",
        value: Math.min(...cpu(withHistory)),
        alternative: { name: "--history none", value: Math.min(...cpu(without)) },
        ratio: ratio(cpu(withHistory), cpu(without), { better: "lower" }),
      },
    );
  }
  finish("history", "bench:history", metrics);
}

try {
  await main();
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
process.exit();
