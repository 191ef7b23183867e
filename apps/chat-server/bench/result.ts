// Each bench's end: its BenchResult JSON saved, its metrics printed, a non-zero exit when a target is missed.
import { fileURLToPath } from "node:url";
import { metricLine, newResult, saveResult, targetMet, type Metric } from "@netlab/bench-kit";

/** The package root, from bench/ and from dist-bench/ alike. */
export const packageDir = fileURLToPath(new URL("../", import.meta.url));

/** Writes `<bench>.json` (bench/results/latest/ or $NETLAB_BENCH_RESULTS), prints every metric, and sets the exit code. */
export function finish(bench: string, script: string, metrics: Metric[]): void {
  const quick = process.env.BENCH_QUICK === "1" ? "BENCH_QUICK=1 " : "";
  const command = `${quick}pnpm --filter @netlab/chat-server ${script}`;
  const file = saveResult(packageDir, newResult({ package: "@netlab/chat-server", bench, command, metrics }));
  console.log(`\n${bench}:`);
  for (const metric of metrics) console.log(`- ${metricLine(metric)}`);
  const missed = metrics.filter((metric) => !targetMet(metric));
  console.log(`\n${missed.length ? `${missed.length} target(s) MISSED` : "every target met"}; result: ${file}`);
  if (missed.length) process.exitCode = 1;
}
