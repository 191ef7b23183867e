// Starting pinned peer processes and reading how busy a core was, for the benchmark.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { pinnedCommand } from "@netlab/bench-kit";
import { findProgram, freePort, startProcess, type ProcessHandle } from "@netlab/test-kit";

const run = promisify(execFile);
const taskset = findProgram("taskset", "util-linux");

/** A command line: the program and its arguments. */
export type Command = [command: string, args: string[]];

/** Makes the command line of a server listening on port. */
export type ServerCommand = (port: number) => Command;

/** A running server: its port and process. */
export interface RunningServer {
  port: number;
  handle: ProcessHandle;
  pid: number;
}

/** [command, args] that runs command pinned to one CPU core (unpinned when taskset is missing). */
export function pinned(core: number, command: string, args: readonly string[]): Command {
  const pin = pinnedCommand(core, command, args, { taskset: taskset.path ?? null });
  return [pin.command, pin.args];
}

/** Starts a server pinned to core on a free port, with env added to ours; resolves once it accepts connections. */
export async function startServer(core: number, makeCommand: ServerCommand, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const [command, args] = pinned(core, ...makeCommand(port));
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 30_000, graceMs: 3_000, env });
  if (handle.pid === undefined) throw new Error(`${command} started without a process id`);
  return { port, handle, pid: handle.pid };
}

/** Runs a command pinned to core and returns its stdout. */
export async function runPinned(core: number, command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  const [cmd, cmdArgs] = pinned(core, command, args);
  const { stdout } = await run(cmd, cmdArgs, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Seconds one CPU core has been busy so far, whatever ran on it (Linux /proc/stat; idle and iowait excluded). */
export function coreBusySeconds(core: number): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${core} `));
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = (line ?? "").trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}
