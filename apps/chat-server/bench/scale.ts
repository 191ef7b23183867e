// Issue #20: chat-server at scale. One node with many idle clients, one big channel, and a cluster on one Redis,
// each beside ngircd and InspIRCd where they apply, each saved as a BenchResult ("scale-*").
// Usage: pnpm --filter @netlab/chat-server bench:scale [-- --full] (see --help for the sizes)
import { fileURLToPath } from "node:url";
import { metricLine, type Metric, newResult, saveResult } from "@netlab/bench-kit";
import { channel } from "./scale/channel.js";
import { cluster } from "./scale/cluster.js";
import { oneNode } from "./scale/one-node.js";
import { parseOptions, type ScaleOptions, type Scenario, usage } from "./scale/options.js";
import { killTracked } from "./scale/server.js";

const packageDir = fileURLToPath(new URL("../", import.meta.url));
// pnpm passes the "--" of `pnpm bench:scale -- --full` on.
const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
if (argv.includes("--help")) {
  console.log(usage);
  process.exit(0);
}
let options: ScaleOptions;
try {
  options = parseOptions(argv);
} catch (error) {
  // A bad flag gets one line and the usage, not a stack trace.
  console.error(`bench:scale: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const command = `pnpm --filter @netlab/chat-server bench:scale${argv.length ? ` -- ${argv.join(" ")}` : ""}${options.full && !argv.includes("--full") ? " (SCALE_FULL=1)" : ""}`;

// Whatever happens, the servers this run started do not outlive it.
process.on("exit", killTracked);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
setTimeout(() => {
  console.error(`bench:scale did not finish within ${options.deadlineMinutes} minutes`);
  process.exit(3);
}, options.deadlineMinutes * 60_000).unref();

const scenarios: Record<Scenario, { bench: string; run: () => Promise<Metric[]> }> = {
  "one-node": { bench: "scale-one-node", run: () => oneNode(options) },
  channel: { bench: "scale-channel", run: () => channel(options) },
  cluster: { bench: "scale-cluster", run: () => cluster(options) },
};

const summary: string[] = [];
for (const name of options.only) {
  const { bench, run } = scenarios[name];
  // A figure that could not be measured (NaN) is reported, not saved: results hold finite numbers only.
  const measured = await run();
  for (const metric of measured) if (!Number.isFinite(metric.value)) console.log(`${bench}: not measured: ${metric.name}${metric.note ? ` (${metric.note})` : ""}`);
  const metrics = measured.filter((metric) => Number.isFinite(metric.value));
  const file = saveResult(packageDir, newResult({ package: "@netlab/chat-server", bench, command, metrics }));
  summary.push(`\n${bench} (${file})`, ...metrics.map((metric) => `  ${metricLine(metric)}`));
}
console.log(summary.join("\n"));
process.exit(0);
