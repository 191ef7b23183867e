// Starting pinned peer processes and reading their memory, for the benchmark.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { cpuSeconds, pinnedCommand, rssBytes } from "@netlab/bench-kit";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";

const run = promisify(execFile);
const taskset = findProgram("taskset", "util-linux");

/** [command, args] that runs command pinned to one CPU core (unpinned when taskset is missing). */
export function pinned(core, command, args) {
  const pin = pinnedCommand(core, command, args, { taskset: taskset.path ?? null });
  return [pin.command, pin.args];
}

/** Starts a server pinned to core on a free port, with env added to ours; resolves once it accepts connections. */
export async function startServer(core, makeCommand, env = {}) {
  const port = await freePort();
  const [command, args] = pinned(core, ...makeCommand(port));
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 30_000, graceMs: 3_000, env });
  return { port, handle };
}

/** Runs a command pinned to core and returns its stdout. */
export async function runPinned(core, command, args, timeoutMs) {
  const [cmd, cmdArgs] = pinned(core, command, args);
  const { stdout } = await run(cmd, cmdArgs, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

// From @netlab/bench-kit: resident set size in bytes and CPU seconds (user + system) of a
// process (Linux /proc).
export { cpuSeconds, rssBytes };

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Seconds one CPU core has been busy so far, whatever ran on it (Linux /proc/stat; idle and iowait excluded). */
export function coreBusySeconds(core) {
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${core} `));
  const [user, nice, system, , , irq, softirq, steal] = (line ?? "").trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}
