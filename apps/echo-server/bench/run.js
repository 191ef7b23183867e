// echo-server benchmark: netlab echo-server vs the bare Node echo server, socat, ncat and a minimal C
// epoll echo server (the ping-pong ceiling), each pinned to core 0. Every measurement runs a fresh
// `echo-client bench` process pinned to core 1, so no
// measurement inherits the generator state (heap, JIT, sockets) of the one before. The machine
// may be shared and noisy, so the servers are measured in short rounds, in alternating order,
// and each ratio is the median of per-round ratios (neighbouring measurements see the same
// background load), printed with its range. Prints a markdown table and exits 1 when a target is missed.
// Besides rates, each ping-pong measurement reads how long core 0 was busy per message: a server's
// cost whatever its process model (socat's forked children included).
// Knobs: BENCH_SECONDS (per measurement, default 1.5), BENCH_ROUNDS (default 7), BENCH_HELD (default 10000).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { coreBusySeconds, cpuSeconds, median, pinned, rssBytes, runPinned, startServer } from "./processes.js";

const here = dirname(fileURLToPath(import.meta.url));
const ECHO_SERVER = join(here, "..", "bin", "echo-server.js");
const CLIENT_DIR = dirname(createRequire(import.meta.url).resolve("@netlab/echo-client/package.json"));
const ECHO_CLIENT = join(CLIENT_DIR, "bin", "echo-client.js");
const BARE = join(here, "bare-echo-server.js");
const SIMPLE_GENERATOR = join(here, "simple-generator.js");
const HOLDER = join(here, "hold-connections.js");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HELD = Number(process.env.BENCH_HELD ?? 10_000);
const node = process.execPath;
const socat = findProgram("socat", "socat");
const ncat = findProgram("ncat", "ncat");
const iperf3 = findProgram("iperf3", "iperf3");
const cc = findProgram("cc", "gcc");

// The ceiling server, compiled for this run (its rows read n/a when that fails).
const buildDir = mkdtempSync(join(tmpdir(), "echo-bench-"));
const EPOLL_ECHO = join(buildDir, "epoll-echo");
let ceilingBuilt = false;
if (!cc.skip) {
  try {
    execFileSync("cc", ["-O2", "-o", EPOLL_ECHO, join(here, "epoll-echo.c")], { stdio: ["ignore", "ignore", "pipe"] });
    ceilingBuilt = true;
  } catch (error) {
    console.warn(`SKIPPED: the C epoll ceiling did not compile: ${String(error.stderr ?? error.message).trim()}`);
  }
}

// echo-server runs with the allocator settings its systemd unit gives it (README, "Bulk streams and
// glibc's allocator"), read from the unit so that the bench measures what the unit runs; the bare
// server runs as people run it.
const UNIT = readFileSync(join(here, "..", "systemd", "echo-server.service"), "utf8");
const TUNABLES = /^Environment=GLIBC_TUNABLES=(\S+)$/m.exec(UNIT)?.[1];
if (!TUNABLES) throw new Error("systemd/echo-server.service sets no GLIBC_TUNABLES");
const tuned = { GLIBC_TUNABLES: TUNABLES };
const serverEnv = { "echo-server": tuned };

const servers = {
  "echo-server": (port) => [node, [ECHO_SERVER, "--port", String(port), "--no-udp", "--log-level", "warn"]],
  bare: (port) => [node, [BARE, String(port)]],
  ...(socat.skip ? {} : { socat: (port) => ["socat", [`TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr,backlog=128`, "PIPE"]] }),
  // One cat process per connection; ping-pong only (its children stall under bulk load, PEERS.md).
  ...(ncat.skip ? {} : { ncat: (port) => ["ncat", ["-l", "127.0.0.1", String(port), "--keep-open", "--max-conns", "1000", "--exec", "/bin/cat"]] }),
  ...(ceilingBuilt ? { "C epoll": (port) => [EPOLL_ECHO, [String(port)]] } : {}),
};

// Runs a generator against server; returns what it printed, the CPU seconds the server process used
// meanwhile, and how long core 0 (the servers' core) was busy.
async function withServerCpu(server, generate) {
  const before = cpuSeconds(server.handle.pid);
  const coreBefore = coreBusySeconds(0);
  const result = await generate();
  return { result, serverCpu: cpuSeconds(server.handle.pid) - before, coreBusy: coreBusySeconds(0) - coreBefore };
}

// One measurement from a fresh generator process; also the server's CPU time per message (a figure background load disturbs less than rates).
async function load(server, mode, seconds, connections, size) {
  const { result, serverCpu, coreBusy } = await withServerCpu(server, () => echoClientBench(server.port, { mode, seconds, connections, size }));
  result.cpuMicrosPerMessage = (serverCpu * 1e6) / Math.max(1, result.messages);
  result.coreMicrosPerMessage = (coreBusy * 1e6) / Math.max(1, result.messages);
  return result;
}

async function echoClientBench(port, { mode = "pingpong", seconds, connections = 50, size = 64 }) {
  const args = [ECHO_CLIENT, "bench", "--host", "127.0.0.1", "--port", String(port), "--mode", mode, "--connections", String(connections), "--duration", `${seconds * 1000}ms`, "--size", String(size), "--json"];
  return JSON.parse(await runPinned(1, node, args, (seconds + 60) * 1000));
}

// Each generator run on the bare server: its rate, its own CPU share of its core and the server's (near 1: that side is the limit).
async function echoClientCli(server, seconds) {
  const { result, serverCpu } = await withServerCpu(server, () => echoClientBench(server.port, { seconds }));
  return { rate: result.messagesPerSecond, cpuShare: result.cpu.share, serverShare: serverCpu / result.durationS };
}

async function simpleGenerator(server, seconds) {
  const args = [SIMPLE_GENERATOR, "127.0.0.1", String(server.port), "50", String(seconds * 1000), "64"];
  const { result, serverCpu } = await withServerCpu(server, async () => JSON.parse(await runPinned(1, node, args, (seconds + 60) * 1000)));
  return { rate: result.messages / result.seconds, cpuShare: result.cpuShare, serverShare: serverCpu / result.seconds };
}

async function iperfCeiling(seconds) {
  // Ready on its log line: a probe connection would use up the one-off (-1) server.
  const port = await freePort();
  const [command, args] = pinned(0, "iperf3", ["-s", "-B", "127.0.0.1", "-p", String(port), "-1", "--forceflush"]);
  const handle = await startProcess(command, args, { ready: /Server listening/, timeoutMs: 30_000 });
  try {
    const report = JSON.parse(await runPinned(1, "iperf3", ["-c", "127.0.0.1", "-p", String(port), "-t", String(seconds), "-J"], (seconds + 30) * 1000));
    return report.end.sum_received.bits_per_second / 8 / 1e6;
  } finally {
    await handle.stop();
  }
}

async function memoryPerConnection(makeCommand, env) {
  const { port, handle } = await startServer(0, makeCommand, env);
  try {
    await sleep(1000);
    const before = rssBytes(handle.pid);
    const holder = await startProcess(node, [HOLDER, "127.0.0.1", String(port), String(HELD)], { ready: /held \d+ failed \d+/, timeoutMs: 120_000 });
    try {
      const held = Number(/held (\d+)/.exec(holder.output())?.[1] ?? 0);
      await sleep(1500);
      const after = rssBytes(handle.pid);
      return { held, perConnection: (after - before) / Math.max(1, held), before, after };
    } finally {
      await holder.stop();
    }
  } finally {
    await handle.stop();
  }
}

const started = Date.now();
const log = (line) => process.stderr.write(`${line}\n`);
const running = {};
for (const [name, make] of Object.entries(servers)) running[name] = await startServer(0, make, serverEnv[name]);
const raw = { pingpong: {}, p99: {}, stream: {}, core: {}, generators: { "echo-client": [], simple: [] } };
const ratios = { vsBare: [], vsSocat: [], vsNcat: [], p99: [], stream: [], generators: [], cpuPingPong: [], cpuStream: [], ceilingVsBare: [], ceilingVsSocat: [], capacityVsSocat: [], ceilingCapacityVsSocat: [] };
const cpu = { pingpong: {}, stream: {} };
// Share of one core used by each generator and by the bare server during the generator rounds.
const generatorCpu = { "echo-client": [], simple: [], server: [] };
const pct = (share) => `${Math.round(share * 100)}%`;
try {
  log("warm-up: 1 s each");
  for (const server of Object.values(running)) await load(server, "pingpong", 1, 50, 64);
  for (let round = 1; round <= ROUNDS; round++) {
    const pp = {};
    // Alternate the order, so that neither server always runs right after the other (or after a stream).
    const order = round % 2 === 1 ? Object.keys(running) : Object.keys(running).reverse();
    for (const name of order) {
      pp[name] = await load(running[name], "pingpong", SECONDS, 50, 64);
      (raw.pingpong[name] ??= []).push(pp[name].messagesPerSecond);
      (raw.p99[name] ??= []).push(pp[name].latency.p99);
      (raw.core[name] ??= []).push(pp[name].coreMicrosPerMessage);
    }
    const st = {};
    const streamers = ["echo-server", "bare"];
    for (const name of round % 2 === 1 ? streamers : [...streamers].reverse()) {
      st[name] = await load(running[name], "stream", SECONDS, 4, 65536);
      (raw.stream[name] ??= []).push(st[name].megabytesPerSecond);
    }
    for (const [name, r] of Object.entries(pp)) (cpu.pingpong[name] ??= []).push(r.cpuMicrosPerMessage);
    for (const [name, r] of Object.entries(st)) (cpu.stream[name] ??= []).push(r.cpuMicrosPerMessage);
    ratios.cpuPingPong.push(pp["echo-server"].cpuMicrosPerMessage / pp.bare.cpuMicrosPerMessage);
    ratios.cpuStream.push(st["echo-server"].cpuMicrosPerMessage / st.bare.cpuMicrosPerMessage);
    ratios.vsBare.push(pp["echo-server"].messagesPerSecond / pp.bare.messagesPerSecond);
    if (pp.socat) ratios.vsSocat.push(pp["echo-server"].messagesPerSecond / pp.socat.messagesPerSecond);
    if (pp.ncat) ratios.vsNcat.push(pp["echo-server"].messagesPerSecond / pp.ncat.messagesPerSecond);
    ratios.p99.push(pp["echo-server"].latency.p99 / pp.bare.latency.p99);
    const ceiling = pp["C epoll"];
    if (ceiling) ratios.ceilingVsBare.push(ceiling.messagesPerSecond / pp.bare.messagesPerSecond);
    if (ceiling && pp.socat) ratios.ceilingVsSocat.push(ceiling.messagesPerSecond / pp.socat.messagesPerSecond);
    // Capacity: how many messages a server could echo in the core time socat needs for one.
    if (pp.socat) ratios.capacityVsSocat.push(pp.socat.coreMicrosPerMessage / pp["echo-server"].coreMicrosPerMessage);
    if (ceiling && pp.socat) ratios.ceilingCapacityVsSocat.push(pp.socat.coreMicrosPerMessage / ceiling.coreMicrosPerMessage);
    ratios.stream.push(st["echo-server"].megabytesPerSecond / st.bare.megabytesPerSecond);
    log(
      `round ${round}: ping-pong msg/s ${Object.keys(running).map((n) => [n, pp[n]]).map(([n, r]) => `${n} ${Math.round(r.messagesPerSecond)} (p99 ${r.latency.p99.toFixed(2)} ms)`).join(", ")}; ` +
        `stream MB/s ${streamers.map((n) => `${n} ${st[n].megabytesPerSecond.toFixed(1)}`).join(", ")}`,
    );
  }
  for (let round = 1; round <= ROUNDS; round++) {
    let ours;
    let theirs;
    if (round % 2 === 1) {
      ours = await echoClientCli(running.bare, SECONDS);
      theirs = await simpleGenerator(running.bare, SECONDS);
    } else {
      theirs = await simpleGenerator(running.bare, SECONDS);
      ours = await echoClientCli(running.bare, SECONDS);
    }
    raw.generators["echo-client"].push(ours.rate);
    raw.generators.simple.push(theirs.rate);
    ratios.generators.push(ours.rate / theirs.rate);
    generatorCpu["echo-client"].push(ours.cpuShare);
    generatorCpu.simple.push(theirs.cpuShare);
    generatorCpu.server.push(ours.serverShare);
    log(
      `generators on bare, round ${round}: echo-client ${Math.round(ours.rate)} msg/s (${pct(ours.cpuShare)} of its core, bare server ${pct(ours.serverShare)}), ` +
        `independent ${Math.round(theirs.rate)} msg/s (${pct(theirs.cpuShare)}, bare server ${pct(theirs.serverShare)})`,
    );
  }
} finally {
  for (const { handle } of Object.values(running)) await handle.stop();
  rmSync(buildDir, { recursive: true, force: true });
}

const ceiling = iperf3.skip ? Number.NaN : await iperfCeiling(4);
log(`iperf3 ceiling: ${ceiling.toFixed(0)} MB/s`);
const memory = {
  "echo-server": await memoryPerConnection((port) => [node, [ECHO_SERVER, "--port", String(port), "--no-udp", "--log-level", "warn", "--max-connections", String(HELD * 2), "--max-per-address", "0"]], tuned),
  bare: await memoryPerConnection(servers.bare),
};
for (const [name, m] of Object.entries(memory)) log(`memory ${name}: ${m.held} held, RSS ${(m.before / 2 ** 20).toFixed(1)} -> ${(m.after / 2 ** 20).toFixed(1)} MiB`);

const m = (name, table) => median(table[name] ?? [Number.NaN]);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a");
const ratioOf = (list) => (list.length ? median(list) : Number.NaN);
// A round where the other server echoed nothing (ncat stalls) has an infinite ratio: the range then ends in "inf".
const rangeOf = (list) => {
  const finite = list.filter(Number.isFinite);
  if (!finite.length) return "";
  return `${fmt(Math.min(...finite), 2)}-${finite.length < list.length ? "inf" : `${fmt(Math.max(...finite), 2)}x`}`;
};
// [label, this, other, per-round ratios (or one ratio), operator, target]
const rows = [
  ["ping-pong 64 B x 50 conns, msg/s: echo-server vs bare", m("echo-server", raw.pingpong), m("bare", raw.pingpong), ratios.vsBare, ">=", 1.0],
  ["ping-pong 64 B x 50 conns, msg/s: echo-server vs socat", m("echo-server", raw.pingpong), m("socat", raw.pingpong), ratios.vsSocat, ">=", 3.0],
  ["ping-pong 64 B x 50 conns, msg/s: echo-server vs ncat", m("echo-server", raw.pingpong), m("ncat", raw.pingpong), ratios.vsNcat, "report", Number.NaN],
  ["ping-pong msg/s: minimal C epoll server (the ceiling) vs bare", m("C epoll", raw.pingpong), m("bare", raw.pingpong), ratios.ceilingVsBare, "report", Number.NaN],
  ["ping-pong msg/s: minimal C epoll server (the ceiling) vs socat", m("C epoll", raw.pingpong), m("socat", raw.pingpong), ratios.ceilingVsSocat, "report", Number.NaN],
  ["core 0 busy per ping-pong message, us: socat vs echo-server (echo-server's capacity in socat's)", m("socat", raw.core), m("echo-server", raw.core), ratios.capacityVsSocat, "report", Number.NaN],
  ["core 0 busy per ping-pong message, us: socat vs C epoll (the ceiling's capacity in socat's)", m("socat", raw.core), m("C epoll", raw.core), ratios.ceilingCapacityVsSocat, "report", Number.NaN],
  ["ping-pong p99 latency, ms: echo-server vs bare", m("echo-server", raw.p99), m("bare", raw.p99), ratios.p99, "<=", 1.0],
  ["bulk stream 64 KiB x 4 conns, MB/s: echo-server vs bare", m("echo-server", raw.stream), m("bare", raw.stream), ratios.stream, ">=", 0.9],
  ["server CPU per ping-pong message, us: echo-server vs bare", m("echo-server", cpu.pingpong), m("bare", cpu.pingpong), ratios.cpuPingPong, "report", Number.NaN],
  ["server CPU per 64 KiB streamed, us: echo-server vs bare", m("echo-server", cpu.stream), m("bare", cpu.stream), ratios.cpuStream, "report", Number.NaN],
  ["bulk stream, MB/s: echo-server vs iperf3 loopback ceiling", m("echo-server", raw.stream), ceiling, m("echo-server", raw.stream) / ceiling, "report", Number.NaN],
  [`memory per held connection, KiB: echo-server vs bare`, memory["echo-server"].perConnection / 1024, memory.bare.perConnection / 1024, memory["echo-server"].perConnection / memory.bare.perConnection, "report", Number.NaN],
  ["ping-pong msg/s on bare: echo-client bench vs independent generator", median(raw.generators["echo-client"]), median(raw.generators.simple), ratios.generators, ">=", 1.0],
  ["generator CPU, share of its core: echo-client vs independent generator", median(generatorCpu["echo-client"]), median(generatorCpu.simple), median(generatorCpu["echo-client"]) / median(generatorCpu.simple), "report", Number.NaN],
  ["CPU share of a core while echo-client drives bare: echo-client vs the bare server", median(generatorCpu["echo-client"]), median(generatorCpu.server), median(generatorCpu["echo-client"]) / median(generatorCpu.server), "report", Number.NaN],
];
let failed = 0;
console.log(`\n| Measure | This | Other | Ratio | Per-round range | Target | Result |\n| --- | ---: | ---: | ---: | ---: | --- | --- |`);
for (const [label, ours, theirs, perRound, op, target] of rows) {
  const ratio = Array.isArray(perRound) ? ratioOf(perRound) : perRound;
  const ok = op === "report" ? true : op === ">=" ? ratio >= target : ratio <= target;
  if (!ok) failed++;
  const digits = ours < 100 ? 2 : 0;
  const range = Array.isArray(perRound) ? rangeOf(perRound) : "";
  console.log(`| ${label} | ${fmt(ours, digits)} | ${fmt(theirs, digits)} | ${fmt(ratio, 2)}x | ${range} | ${op === "report" ? "(reported)" : `${op} ${target}x`} | ${op === "report" ? "" : ok ? "ok" : "MISSED"} |`);
}
const perConnectionKiB = memory["echo-server"].perConnection / 1024;
const memoryOk = perConnectionKiB < 8 && memory["echo-server"].held === HELD;
if (!memoryOk) failed++;
console.log(`| echo-server memory per held connection | ${fmt(perConnectionKiB, 2)} KiB | | | | < 8 KiB, all ${fmt(HELD)} held | ${memoryOk ? "ok" : "MISSED"} |`);
console.log(`\nFigures: medians of ${ROUNDS} alternating rounds of ${SECONDS} s; ratios: medians of per-round ratios. Servers pinned to core 0; each measurement from a fresh generator process pinned to core 1; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`);
console.log(`Raw: ${JSON.stringify({ raw, cpu, generatorCpu, ratios })}`);
if (socat.skip || ncat.skip || iperf3.skip || !ceilingBuilt) console.log("Some peers are missing (see SKIPPED above): their rows read n/a.");
process.exitCode = failed > 0 ? 1 : 0;
