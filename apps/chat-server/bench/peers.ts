// The servers the benchmarks measure, each started as its own process on one core.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { pinnedCommand, type PinnedCommand } from "@netlab/bench-kit";
import { findProgram, freePort, startProcess, type ProcessHandle } from "@netlab/test-kit";
import { writeNgircdConfig } from "./ngircd-config.js";

const bin = fileURLToPath(new URL("../bin/chat-server.js", import.meta.url));

/** A server under test: its listening port, its pid for /proc samples, how many clients to open at once. */
export interface BenchServer {
  name: string;
  port: number;
  pid: number;
  /** Clients to connect at once (ngircd's listen backlog is 10). */
  batch: number;
  stop(): Promise<void>;
}

/** Bounds a whole benchmark run: a stuck server must not hang CI (exit 3 after minutes). */
export function exitAfter(minutes: number): void {
  const deadline = setTimeout(() => {
    console.error(`bench: did not finish within ${minutes} minutes`);
    process.exit(3);
  }, minutes * 60_000);
  deadline.unref();
}

/** Keeps the load generator (this process) on core 0, away from the servers' core 1. */
export function pinSelf(): void {
  const taskset = findProgram("taskset", "util-linux");
  if (taskset.path) execFileSync(taskset.path, ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
}

/** A command on core 1 when taskset is there, so every server gets the same CPU. */
function onServerCore(command: string, args: string[]): PinnedCommand {
  return pinnedCommand(1, command, args, { taskset: findProgram("taskset", "util-linux").path ?? null });
}

function pidOf(handle: ProcessHandle, what: string): number {
  if (handle.pid === undefined) throw new Error(`${what}: no pid`);
  return handle.pid;
}

/** chat-server on one core with flood control off; `--history none` unless `extra` says otherwise. The pid is the server's (taskset execs it). */
export async function startChatServer(extra: string[] = ["--history", "none"], name = "chat-server"): Promise<BenchServer> {
  const pinned = onServerCore(process.execPath, [
    bin, "--port", "0", "--server-name", "irc.bench", "--flood-rate", "0", "--max-per-address", "0",
    "--max-connections", "20000", "--idle-timeout", "0", "--log-level", "info", ...extra,
  ]);
  const handle = await startProcess(pinned.command, pinned.args, { ready: /"msg":"listening"/, timeoutMs: 60_000 });
  const port = Number(/"port":(\d+)/.exec(handle.output())?.[1]);
  if (!Number.isInteger(port)) throw new Error(`${name}: no port in its log`);
  return { name, port, pid: pidOf(handle, name), batch: 50, stop: async () => void (await handle.stop()) };
}

/** ngircd with the settings of PEERS.md (no penalties, no per-IP or join limits); undefined when it is not installed. */
export async function startNgircd(): Promise<BenchServer | undefined> {
  const ngircd = findProgram("ngircd", "ngircd");
  if (!ngircd.path) return undefined;
  const port = await freePort();
  const { dir, conf } = writeNgircdConfig(port, "bench");
  const pinned = onServerCore(ngircd.path, ["-n", "-f", conf]);
  const handle = await startProcess(pinned.command, pinned.args, { ready: port, timeoutMs: 20_000 });
  return {
    name: "ngircd",
    port,
    pid: pidOf(handle, "ngircd"),
    batch: 10,
    stop: async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
