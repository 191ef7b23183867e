import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "@netlab/bench-kit";
import { barChartSvg, type Bar, type ChartSeries } from "./bar-chart.js";
import { figure } from "./figure.js";
import { metricNotes, metricTable, targetMet, targetText } from "./metric-table.js";
import type { PackageResults } from "./saved-run.js";

export interface ReportOptions {
  date: string;
  /** Folder the report is written to; its charts go to `<date>/` in it. */
  outDir: string;
  /** How the figures were made, as Markdown. */
  command: string;
}

export interface Report {
  path: string;
  /** One line per target missed. */
  missed: string[];
  /** One line per failed script, missing or malformed result. */
  problems: string[];
}

// chat-server's scale benches answer the issue's questions (how many connections, how fast), so they lead.
const isScale = (result: BenchResult): boolean => result.bench.startsWith("scale");

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

function missedTargets(entry: PackageResults): string[] {
  return entry.results.flatMap((result) =>
    result.metrics.filter((metric) => targetMet(metric) === false).map((metric) => `${entry.pkg.name} ${result.bench}: ${metric.name} ${figure(metric.value, metric.unit)}, target ${targetText(metric)}`),
  );
}

/** The bars of a bench's chart: each metric's ratio to its alternative. */
function chartOf(entry: PackageResults, result: BenchResult): ChartSeries | undefined {
  const bars = result.metrics.flatMap((metric): Bar[] => {
    const label = metric.alternative ? `${metric.name} vs ${metric.alternative.name}` : metric.name;
    if (metric.ratio) return [{ label, value: metric.ratio.median, range: { min: metric.ratio.min, max: metric.ratio.max } }];
    if (metric.alternative && metric.alternative.value !== 0) return [{ label, value: metric.value / metric.alternative.value }];
    return [];
  });
  if (bars.length === 0) return undefined;
  return { title: `${entry.pkg.name} ${result.bench}`, column: "value over the alternative's (median of the rounds; the black line spans their min–max)", bars };
}

/** A bench's part of the report; its chart, if any, is written to the assets folder. */
function benchSection(entry: PackageResults, result: BenchResult, heading: string, options: ReportOptions): string[] {
  const lines = [
    "",
    `### ${heading}`,
    "",
    `\`${result.command}\` at ${result.date}, Node ${result.node}, ${result.machine.cpus} cores (${result.machine.model}).`,
    "",
    ...(result.metrics.length > 0 ? metricTable(result.metrics) : ["(no metrics)"]),
  ];
  const notes = metricNotes(result.metrics);
  if (notes.length > 0) lines.push("", ...notes);
  const chart = chartOf(entry, result);
  if (chart) {
    const file = `${entry.pkg.short}-${result.bench.replace(/[^a-z0-9.-]/gi, "-")}.svg`;
    writeFileSync(join(options.outDir, options.date, file), barChartSvg(chart));
    lines.push("", `![${chart.title}](${options.date}/${file})`);
  }
  return lines;
}

function outcome(entry: PackageResults, missed: number): string {
  const wrong = [missed > 0 ? `${plural(missed, "target")} missed` : "", entry.problems.length > 0 ? plural(entry.problems.length, "problem") : ""].filter((part) => part !== "");
  if (wrong.length > 0) return wrong.join(", ");
  return entry.results.some((result) => result.metrics.some((metric) => metric.target)) ? "every target met" : "no targets";
}

/** One line for the terminal: what went wrong and where the report says more. */
export function reportSummary(report: Report): string {
  if (report.missed.length === 0 && report.problems.length === 0) return `every target met; report written to ${report.path}`;
  return `${plural(report.missed.length, "target")} missed, ${plural(report.problems.length, "problem")}; see the summary in ${report.path}`;
}

/** Writes `<date>.md` and its charts (`<date>/<package>-<bench>.svg`) into outDir; returns its path and what went wrong. */
export function writeReport(entries: PackageResults[], options: ReportOptions): Report {
  mkdirSync(join(options.outDir, options.date), { recursive: true });
  const machines = [...new Set(entries.flatMap((entry) => entry.results.map((result) => `Node ${result.node} on ${result.machine.cpus} cores (${result.machine.model})`)))];
  const missed = entries.flatMap(missedTargets);
  const problems = entries.flatMap((entry) => entry.problems);
  const lines = [
    `# netlab benchmarks, ${options.date}`,
    "",
    `Command: ${options.command}.${machines.length > 0 ? ` Measured with ${machines.join("; ")}.` : ""} Each bench measures netlab beside the alternatives in the same run; ratios on a shared machine move from run to run, so read them with their range.`,
    "",
    "## Summary",
    "",
    "| package | benches | targets met | seconds | result |",
    "| --- | ---: | ---: | ---: | --- |",
    ...entries.map((entry) => {
      const targets = entry.results.flatMap((result) => result.metrics.filter((metric) => metric.target));
      const met = targets.filter((metric) => targetMet(metric)).length;
      return `| [${entry.pkg.name}](#${entry.pkg.short}) | ${entry.results.length} | ${targets.length > 0 ? `${met} of ${targets.length}` : "-"} | ${entry.status?.seconds ?? "-"} | ${outcome(entry, targets.length - met)} |`;
    }),
    "",
  ];
  if (missed.length > 0) lines.push(`${plural(missed.length, "target")} missed:`, "", ...missed.map((line) => `- ❌ ${line}`), "");
  if (problems.length > 0) lines.push(`${plural(problems.length, "problem")}:`, "", ...problems.map((line) => `- ${line}`), "");
  if (missed.length === 0 && problems.length === 0) lines.push("Every target met, and every package wrote its results.", "");
  const scale = entries.flatMap((entry) => entry.results.filter(isScale).map((result) => ({ entry, result })));
  if (scale.length > 0) {
    lines.push("## Scale", "", "The scale benches, each figure beside its target.");
    for (const { entry, result } of scale) lines.push(...benchSection(entry, result, `${entry.pkg.name} ${result.bench}`, options));
    lines.push("");
  }
  for (const entry of entries) {
    lines.push(`<a id="${entry.pkg.short}"></a>`, "", `## ${entry.pkg.name}`, "");
    lines.push(entry.status ? `\`pnpm --filter ${entry.pkg.name} bench\`: exit ${entry.status.code} after ${entry.status.seconds} s.` : "Results read from a saved run.");
    if (entry.problems.length > 0) lines.push("", ...entry.problems.map((line) => `- ${line}`));
    if (entry.results.some(isScale)) lines.push("", "Its scale benches are in [Scale](#scale) above.");
    for (const result of entry.results.filter((result) => !isScale(result))) lines.push(...benchSection(entry, result, result.bench, options));
    lines.push("");
  }
  const path = join(options.outDir, `${options.date}.md`);
  writeFileSync(path, lines.join("\n"));
  return { path, missed, problems };
}
