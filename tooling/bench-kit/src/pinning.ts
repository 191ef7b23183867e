// Running a command on one CPU core with taskset (util-linux), when it is there.
import { accessSync, constants } from "node:fs";
import path from "node:path";

export interface PinnedCommand {
  command: string;
  args: string[];
  /** False when taskset was not found: command and args are then the ones given, unpinned. */
  pinned: boolean;
}

let cached: { path: string | undefined } | undefined;

/** Absolute path of taskset on PATH, or undefined. Looked up once per process. */
export function findTaskset(): string | undefined {
  if (!cached) {
    cached = { path: undefined };
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, "taskset");
      try {
        accessSync(candidate, constants.X_OK);
        cached = { path: candidate };
        break;
      } catch {
        // not in this directory
      }
    }
  }
  return cached.path;
}

export interface PinningOptions {
  /** taskset to use: a path, or null for none. Default: the one on PATH (findTaskset()). */
  taskset?: string | null;
}

/** command and args run on CPU `core` (taskset -c core command ...args), or unchanged with pinned: false when there is no taskset. */
export function pinnedCommand(core: number, command: string, args: readonly string[], options: PinningOptions = {}): PinnedCommand {
  if (!Number.isInteger(core) || core < 0) throw new RangeError(`not a CPU core: ${core}`);
  const taskset = options.taskset === undefined ? findTaskset() : options.taskset;
  if (!taskset) return { command, args: [...args], pinned: false };
  return { command: taskset, args: ["-c", String(core), command, ...args], pinned: true };
}
