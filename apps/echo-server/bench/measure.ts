// One measurement each: a generator run against a server, the iperf3 ceiling, memory per held connection.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuSeconds, rssBytes } from "@netlab/bench-kit";
import type { BenchMode, BenchResult as ClientResult } from "@netlab/echo-client";
import { freePort, startProcess } from "@netlab/test-kit";
import { coreBusySeconds, pinned, runPinned, startServer, type RunningServer, type ServerCommand } from "./processes.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const CLIENT_DIR = dirname(createRequire(import.meta.url).resolve("@netlab/echo-client/package.json"));
const ECHO_CLIENT = join(CLIENT_DIR, "bin", "echo-client.js");
const SIMPLE_GENERATOR = join(here, "simple-generator.js");
const HOLDER = join(here, "hold-connections.js");
const node = process.execPath;

/** What echo-client bench printed, and what the measurement cost the server. */
export interface Load extends ClientResult {
  /** Server process CPU per echoed message, us. */
  cpuMicrosPerMessage: number;
  /** Core 0 (the servers' core) busy per echoed message, us: a server's cost whatever its process model. */
  coreMicrosPerMessage: number;
}

// Runs a generator against server; returns what it printed, the CPU seconds the server process used
// meanwhile, and how long core 0 (the servers' core) was busy.
async function withServerCpu<R>(server: RunningServer, generate: () => Promise<R>): Promise<{ result: R; serverCpu: number; coreBusy: number }> {
  const before = cpuSeconds(server.pid);
  const coreBefore = coreBusySeconds(0);
  const result = await generate();
  return { result, serverCpu: cpuSeconds(server.pid) - before, coreBusy: coreBusySeconds(0) - coreBefore };
}

interface ClientOptions {
  mode?: BenchMode;
  seconds: number;
  connections?: number;
  size?: number;
}

async function echoClientBench(port: number, { mode = "pingpong", seconds, connections = 50, size = 64 }: ClientOptions): Promise<ClientResult> {
  const args = [ECHO_CLIENT, "bench", "--host", "127.0.0.1", "--port", String(port), "--mode", mode, "--connections", String(connections), "--duration", `${seconds * 1000}ms`, "--size", String(size), "--json"];
  return JSON.parse(await runPinned(1, node, args, (seconds + 60) * 1000)) as ClientResult;
}

/** One measurement from a fresh generator process; also the server's CPU time per message (a figure background load disturbs less than rates). */
export async function load(server: RunningServer, mode: BenchMode, seconds: number, connections: number, size: number): Promise<Load> {
  const { result, serverCpu, coreBusy } = await withServerCpu(server, () => echoClientBench(server.port, { mode, seconds, connections, size }));
  const messages = Math.max(1, result.messages);
  return { ...result, cpuMicrosPerMessage: (serverCpu * 1e6) / messages, coreMicrosPerMessage: (coreBusy * 1e6) / messages };
}

/** A generator's rate on the bare server, its own CPU share of its core and the server's (near 1: that side is the limit). */
export interface GeneratorRun {
  rate: number;
  cpuShare: number;
  serverShare: number;
}

export async function echoClientCli(server: RunningServer, seconds: number): Promise<GeneratorRun> {
  const { result, serverCpu } = await withServerCpu(server, () => echoClientBench(server.port, { seconds }));
  return { rate: result.messagesPerSecond, cpuShare: result.cpu.share, serverShare: serverCpu / result.durationS };
}

export async function simpleGenerator(server: RunningServer, seconds: number): Promise<GeneratorRun> {
  const args = [SIMPLE_GENERATOR, "127.0.0.1", String(server.port), "50", String(seconds * 1000), "64"];
  const { result, serverCpu } = await withServerCpu(server, async () => JSON.parse(await runPinned(1, node, args, (seconds + 60) * 1000)) as { messages: number; seconds: number; cpuShare: number });
  return { rate: result.messages / result.seconds, cpuShare: result.cpuShare, serverShare: serverCpu / result.seconds };
}

/** iperf3's loopback rate, MB/s, server on core 0 and client on core 1. */
export async function iperfCeiling(seconds: number): Promise<number> {
  // Ready on its log line: a probe connection would use up the one-off (-1) server.
  const port = await freePort();
  const [command, args] = pinned(0, "iperf3", ["-s", "-B", "127.0.0.1", "-p", String(port), "-1", "--forceflush"]);
  const handle = await startProcess(command, args, { ready: /Server listening/, timeoutMs: 30_000 });
  try {
    const report = JSON.parse(await runPinned(1, "iperf3", ["-c", "127.0.0.1", "-p", String(port), "-t", String(seconds), "-J"], (seconds + 30) * 1000)) as {
      end: { sum_received: { bits_per_second: number } };
    };
    return report.end.sum_received.bits_per_second / 8 / 1e6;
  } finally {
    await handle.stop();
  }
}

export interface HeldMemory {
  held: number;
  /** RSS growth per held connection, bytes. */
  perConnection: number;
  before: number;
  after: number;
}

/** RSS growth of a server (on core 0) while a separate process holds `count` idle connections to it. */
export async function memoryPerConnection(makeCommand: ServerCommand, count: number, env?: Record<string, string>): Promise<HeldMemory> {
  const server = await startServer(0, makeCommand, env);
  try {
    await sleep(1000);
    const before = rssBytes(server.pid);
    const holder = await startProcess(node, [HOLDER, "127.0.0.1", String(server.port), String(count)], { ready: /held \d+ failed \d+/, timeoutMs: 120_000 });
    try {
      const held = Number(/held (\d+)/.exec(holder.output())?.[1] ?? 0);
      await sleep(1500);
      const after = rssBytes(server.pid);
      return { held, perConnection: (after - before) / Math.max(1, held), before, after };
    } finally {
      await holder.stop();
    }
  } finally {
    await server.handle.stop();
  }
}
