// The two servers the benchmark compares, each started as its own process on one core.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, pinnedCommand, rssBytes } from "@netlab/bench-kit";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";

const bin = fileURLToPath(new URL("../bin/chat-server.js", import.meta.url));

/** Bounds a whole benchmark run: a stuck server must not hang CI (exit 3 after minutes). */
export function exitAfter(minutes) {
  const deadline = setTimeout(() => {
    console.error(`bench: did not finish within ${minutes} minutes`);
    process.exit(3);
  }, minutes * 60_000);
  deadline.unref();
}

/** Keeps the load generator (this process) on core 0, away from the server's core 1. */
export function pinSelf() {
  const taskset = findProgram("taskset", "util-linux");
  if (!taskset.skip) execFileSync(taskset.path, ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
}

/** Pins a command to one core when taskset is there, so both servers get the same CPU. */
function onOneCore(command, args) {
  const taskset = findProgram("taskset", "util-linux");
  const pinned = pinnedCommand(1, command, args, { taskset: taskset.path ?? null });
  return [pinned.command, pinned.args];
}

/** Resident memory of a process in bytes, from /proc (@netlab/bench-kit's rssBytes). */
export const rssOf = rssBytes;

/** CPU seconds (user + system) a process has used, from /proc (@netlab/bench-kit's cpuSeconds). */
export const cpuOf = cpuSeconds;

/**
 * chat-server on one core with flood control off; `--history none` unless extra flags say
 * otherwise. The pid is the server's (taskset execs it).
 */
export async function startChatServer(extra = ["--history", "none"], name = "chat-server") {
  const [command, args] = onOneCore(process.execPath, [
    bin, "--port", "0", "--server-name", "irc.bench", "--flood-rate", "0", "--max-per-address", "0",
    "--max-connections", "20000", "--idle-timeout", "0", "--log-level", "info", ...extra,
  ]);
  const handle = await startProcess(command, args, { ready: /"msg":"listening"/, timeoutMs: 60_000 });
  const port = Number(/"port":(\d+)/.exec(handle.output())?.[1]);
  return { name, port, pid: handle.pid, batch: 50, stop: () => handle.stop() };
}

export async function startNgircd() {
  const ngircd = findProgram("ngircd", "ngircd");
  if (ngircd.skip) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-ngircd-"));
  chmodSync(dir, 0o755);
  const conf = path.join(dir, "ngircd.conf");
  // Settings from PEERS.md: no penalties (MaxPenaltyTime = 0), no per-IP or join limits.
  writeFileSync(conf, [
    "[Global]", "Name = irc.netlab.test", "Info = bench", "Listen = 127.0.0.1", `Ports = ${port}`, "MotdPhrase = hello",
    `PidFile = /tmp/ngircd-${port}.pid`,
    "[Limits]", "MaxConnections = 0", "MaxConnectionsIP = 0", "MaxJoins = 0", "MaxNickLength = 31", "MaxPenaltyTime = 0", "PingTimeout = 600",
    "[Options]", "PAM = no", "DNS = no", "Ident = no",
  ].join("\n") + "\n", { mode: 0o644 });
  const [command, args] = onOneCore(ngircd.path, ["-n", "-f", conf]);
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 20_000 });
  return {
    name: "ngircd",
    // Its listen backlog is 10.
    batch: 10,
    port,
    pid: handle.pid,
    stop: async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
