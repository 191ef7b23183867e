// A server process the scale bench started, and how it is run and cleaned up.
import { rmSync } from "node:fs";
import { pinnedCommand } from "@netlab/bench-kit";
import { findProgram, type ProcessHandle } from "@netlab/test-kit";

export interface Server {
  name: string;
  host: string;
  port: number;
  pid: number;
  /** Every process of the server (a chat-server node with --workers has several); [pid] otherwise. */
  pids?: number[];
  /** Clients that may wait for 001 at once (a short listen backlog wants few). */
  maxPending: number;
  handle: ProcessHandle;
  stop(): Promise<void>;
}

/** Command and arguments under `taskset -c core` when a core is given and taskset is there. */
export function onCore(core: number | undefined, command: string, args: string[]): { command: string; args: string[] } {
  if (core === undefined) return { command, args };
  const taskset = findProgram("taskset", "util-linux");
  const pinned = pinnedCommand(core, command, args, { taskset: taskset.path ?? null });
  return { command: pinned.command, args: pinned.args };
}

/** Every process of a server. */
export function pidsOf(server: Server): number[] {
  return server.pids ?? [server.pid];
}

const started = new Set<number>();

/** Remembers a pid so that an exit of the bench (deadline, error) kills it. */
export function track(pid: number): void {
  started.add(pid);
}

export function untrack(pid: number): void {
  started.delete(pid);
}

/** SIGKILLs every tracked process: the last resort when the bench ends early. */
export function killTracked(): void {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  started.clear();
}

/** A started server, its processes tracked until stop(), which also removes its config directory `dir`. */
export function trackedServer(fields: Omit<Server, "stop">, dir?: string): Server {
  const pids = pidsOf(fields as Server);
  for (const pid of pids) track(pid);
  return {
    ...fields,
    stop: async () => {
      await fields.handle.stop();
      for (const pid of pids) untrack(pid);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
