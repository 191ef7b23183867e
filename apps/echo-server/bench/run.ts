// echo-server benchmark: netlab echo-server vs the bare Node echo server, socat, ncat and a minimal C
// epoll echo server (the ping-pong ceiling), each pinned to core 0. Every measurement runs a fresh
// `echo-client bench` process pinned to core 1, so no measurement inherits the generator state
// (heap, JIT, sockets) of the one before. The machine may be shared and noisy, so the servers are
// measured in short rounds, in alternating order, and each ratio is the median of per-round ratios
// (neighbouring measurements see the same background load), with its range. Besides rates, each
// ping-pong measurement reads how long core 0 was busy per message: a server's cost whatever its
// process model (socat's forked children included). Prints one line per figure, saves
// bench/results/latest/throughput.json and connections.json; exits 1 when a target is missed.
// Knobs: BENCH_SECONDS (per measurement, default 1.5), BENCH_ROUNDS (default 7), BENCH_HELD (default 10000).
import { rmSync } from "node:fs";
import { alternatingOrder, bytes, fixed, int, median, metricLine, newResult, percent, runAlternating, saveResult, targetMet, type Metric } from "@netlab/bench-kit";
import { echoClientCli, iperfCeiling, load, memoryPerConnection, simpleGenerator, type GeneratorRun, type Load } from "./measure.js";
import { bare, buildCeiling, echoServer, iperf3, ncat, newBuildDir, servers, socat, tuned } from "./peers.js";
import { startServer, type RunningServer } from "./processes.js";
import { compared, ratioMetric, versus } from "./metrics.js";

const PACKAGE = "@netlab/echo-server";
const COMMAND = "pnpm --filter @netlab/echo-server bench";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HELD = Number(process.env.BENCH_HELD ?? 10_000);
const packageDir = new URL("../", import.meta.url).pathname;
const started = Date.now();
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const buildDir = newBuildDir();
const ceilingBinary = buildCeiling(buildDir);
const commands = servers(ceilingBinary);
const names = Object.keys(commands);
const streamers = ["echo-server", "bare"];
// Per server, its measurement in each round.
const pingpong = new Map<string, Load[]>(names.map((name) => [name, []]));
const stream = new Map<string, Load[]>(streamers.map((name) => [name, []]));
let generators = new Map<string, GeneratorRun[]>();
const running = new Map<string, RunningServer>();
try {
  for (const [name, make] of Object.entries(commands)) running.set(name, await startServer(0, make, name === "echo-server" ? tuned : {}));
  const server = (name: string): RunningServer => running.get(name) as RunningServer;
  log("warm-up: 1 s each");
  for (const one of running.values()) await load(one, "pingpong", 1, 50, 64);
  const streamOrder = alternatingOrder(streamers, ROUNDS);
  // Alternate the order, so that no server always runs right after another (or after a stream).
  for (const [round, order] of alternatingOrder(names, ROUNDS).entries()) {
    for (const name of order) pingpong.get(name)?.push(await load(server(name), "pingpong", SECONDS, 50, 64));
    for (const name of streamOrder[round] ?? []) stream.get(name)?.push(await load(server(name), "stream", SECONDS, 4, 65536));
    const pp = names.map((name) => `${name} ${int(pingpong.get(name)?.[round]?.messagesPerSecond ?? Number.NaN)} (p99 ${fixed(pingpong.get(name)?.[round]?.latency.p99 ?? Number.NaN, 2)} ms)`);
    const st = streamers.map((name) => `${name} ${fixed(stream.get(name)?.[round]?.megabytesPerSecond ?? Number.NaN)}`);
    log(`round ${round + 1}: ping-pong msg/s ${pp.join(", ")}; stream MB/s ${st.join(", ")}`);
  }
  // Each generator on the bare server, in alternating order.
  generators = await runAlternating(
    [
      { name: "echo-client", run: () => echoClientCli(server("bare"), SECONDS) },
      { name: "independent generator", run: () => simpleGenerator(server("bare"), SECONDS) },
    ],
    ROUNDS,
  );
  for (const [name, runs] of generators) {
    log(`generator ${name} on bare: ${runs.map((r) => `${int(r.rate)} msg/s (${percent(r.cpuShare)} of its core, bare server ${percent(r.serverShare)})`).join(", ")}`);
  }
} finally {
  for (const { handle } of running.values()) await handle.stop();
  rmSync(buildDir, { recursive: true, force: true });
}

const ceiling = iperf3.skip ? Number.NaN : await iperfCeiling(4);
log(`iperf3 ceiling: ${fixed(ceiling, 0)} MB/s`);
const memory = {
  "echo-server": await memoryPerConnection(
    (port) => {
      const [command, args] = echoServer(port);
      return [command, [...args, "--max-connections", String(HELD * 2), "--max-per-address", "0"]];
    },
    HELD,
    tuned,
  ),
  bare: await memoryPerConnection(bare, HELD),
};
for (const [name, m] of Object.entries(memory)) log(`memory ${name}: ${int(m.held)} held, RSS ${bytes(m.before)} -> ${bytes(m.after)}`);

// Per-round figures of one server.
const pp = (name: string, field: (load: Load) => number): number[] => (pingpong.get(name) ?? []).map(field);
const st = (name: string, field: (load: Load) => number): number[] => (stream.get(name) ?? []).map(field);
const rate = (load: Load): number => load.messagesPerSecond;
const p99 = (load: Load): number => load.latency.p99;
const core = (load: Load): number => load.coreMicrosPerMessage;
const cpu = (load: Load): number => load.cpuMicrosPerMessage;
const mbps = (load: Load): number => load.megabytesPerSecond;
const gen = (name: string, field: (run: GeneratorRun) => number): number[] => (generators.get(name) ?? []).map(field);
const has = (name: string): boolean => (pingpong.get(name)?.length ?? 0) > 0;

const throughput: Metric[] = [
  ratioMetric("ping-pong 64 B x 50 conns, msg/s: echo-server over bare", "msg/s", pp("echo-server", rate), "bare", pp("bare", rate), { min: 1.0 }),
  ...(has("socat") ? [ratioMetric("ping-pong 64 B x 50 conns, msg/s: echo-server over socat", "msg/s", pp("echo-server", rate), "socat", pp("socat", rate), { min: 3.0 })] : []),
  ratioMetric("ping-pong p99 latency, ms: echo-server over bare", "ms", pp("echo-server", p99), "bare", pp("bare", p99), { max: 1.0 }, "lower"),
  ratioMetric("bulk stream 64 KiB x 4 conns, MB/s: echo-server over bare", "MB/s", st("echo-server", mbps), "bare", st("bare", mbps), { min: 0.9 }),
  ratioMetric("ping-pong msg/s on bare: echo-client bench over an independent generator", "msg/s", gen("echo-client", (r) => r.rate), "independent generator", gen("independent generator", (r) => r.rate), { min: 1.0 }),
  ...(has("ncat") ? [compared("ping-pong 64 B x 50 conns: echo-server", "msg/s", pp("echo-server", rate), "ncat", pp("ncat", rate))] : []),
  ...(has("C epoll") ? [compared("ping-pong: minimal C epoll server (the ceiling)", "msg/s", pp("C epoll", rate), "bare", pp("bare", rate))] : []),
  ...(has("C epoll") && has("socat") ? [compared("ping-pong: minimal C epoll server (the ceiling)", "msg/s", pp("C epoll", rate), "socat", pp("socat", rate))] : []),
  // Capacity: how many messages a server could echo in the core time socat needs for one.
  ...(has("socat") ? [compared("core 0 busy per ping-pong message: socat (over it: echo-server's capacity in socat's)", "us", pp("socat", core), "echo-server", pp("echo-server", core))] : []),
  ...(has("socat") && has("C epoll") ? [compared("core 0 busy per ping-pong message: socat (over it: the ceiling's capacity in socat's)", "us", pp("socat", core), "C epoll", pp("C epoll", core))] : []),
  compared("server CPU per ping-pong message: echo-server", "us", pp("echo-server", cpu), "bare", pp("bare", cpu)),
  compared("server CPU per 64 KiB streamed: echo-server", "us", st("echo-server", cpu), "bare", st("bare", cpu)),
  ...(Number.isFinite(ceiling) ? [versus("bulk stream: echo-server", "MB/s", median(st("echo-server", mbps)), "iperf3 loopback ceiling", ceiling)] : []),
  versus("generator CPU, share of its core: echo-client", "cores", median(gen("echo-client", (r) => r.cpuShare)), "independent generator", median(gen("independent generator", (r) => r.cpuShare))),
  versus("CPU share of a core while echo-client drives bare: echo-client", "cores", median(gen("echo-client", (r) => r.cpuShare)), "the bare server", median(gen("echo-client", (r) => r.serverShare))),
];

const ours = memory["echo-server"];
const connections: Metric[] = [
  {
    name: "memory per held connection: echo-server",
    unit: "B",
    value: ours.perConnection,
    alternative: { name: "bare", value: memory.bare.perConnection },
    target: { max: 8 * 1024 },
    note: `RSS growth while another process holds ${int(HELD)} idle connections (echo-server ${bytes(ours.before)} -> ${bytes(ours.after)})`,
  },
  { name: "idle connections held by echo-server", unit: "connections", value: ours.held, target: { min: HELD } },
];

for (const metric of [...throughput, ...connections]) console.log(metricLine(metric));
console.log(`\nFigures: medians of ${ROUNDS} alternating rounds of ${SECONDS} s; ratios: medians of per-round ratios. Servers pinned to core 0; each measurement from a fresh generator process pinned to core 1; ${fixed((Date.now() - started) / 1000, 0)} s in all.`);
if (socat.skip || ncat.skip || iperf3.skip || !ceilingBinary) console.log("Some peers are missing (see SKIPPED above): their figures are left out.");
saveResult(packageDir, newResult({ package: PACKAGE, bench: "throughput", command: COMMAND, metrics: throughput }));
saveResult(packageDir, newResult({ package: PACKAGE, bench: "connections", command: COMMAND, metrics: connections }));
process.exitCode = [...throughput, ...connections].every(targetMet) ? 0 : 1;
