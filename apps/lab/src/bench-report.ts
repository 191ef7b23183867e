import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { barChartSvg } from "./bar-chart.js";
import { benchOutput, missedTargets, pairSeries, parseTables, ratioSeries } from "./bench-tables.js";
import type { WorkspacePackage } from "./workspace.js";

export interface BenchRun {
  pkg: WorkspacePackage;
  /** Exit code of its bench script; undefined when no log was found. */
  code: number | undefined;
  seconds: number;
  log: string;
}

/** How to run pnpm: the one running us when there is one, else the pinned one through npx. */
function pnpmCommand(root: string): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return { command: process.execPath, args: [execPath] };
  const { packageManager = "pnpm" } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { packageManager?: string };
  return { command: "npx", args: ["-y", packageManager] };
}

/** Runs one package's `bench` script, echoing its output, bounded by timeoutMs. */
export function runPackageBench(root: string, pkg: WorkspacePackage, timeoutMs: number, echo: (chunk: string) => void): Promise<BenchRun> {
  const pnpm = pnpmCommand(root);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(pnpm.command, [...pnpm.args, "run", "bench"], { cwd: pkg.dir, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const take = (chunk: Buffer): void => {
      log += chunk.toString();
      echo(chunk.toString());
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => {
      log += `\nbench: stopped after ${timeoutMs / 1000} s\n`;
      child.kill("SIGTERM");
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ pkg, code: code ?? 1, seconds: Math.round((Date.now() - started) / 1000), log });
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ pkg, code: 1, seconds: 0, log: `cannot run pnpm: ${error.message}` });
    });
  });
}

/** A run read back from `<short>.txt` in dir, with `<short>.json` ({ code, seconds }) when the report tool saved it. */
export function readSavedRun(dir: string, pkg: WorkspacePackage): BenchRun {
  const logPath = join(dir, `${pkg.short}.txt`);
  if (!existsSync(logPath)) return { pkg, code: undefined, seconds: 0, log: "" };
  const log = readFileSync(logPath, "utf8");
  const metaPath = join(dir, `${pkg.short}.json`);
  if (existsSync(metaPath)) {
    const { code, seconds } = JSON.parse(readFileSync(metaPath, "utf8")) as { code: number; seconds: number };
    return { pkg, code, seconds, log };
  }
  // A log saved by hand: pnpm's failure line is the only exit status it holds.
  return { pkg, code: /ELIFECYCLE/.test(log) ? 1 : 0, seconds: 0, log };
}

function outcome(run: BenchRun): string {
  if (run.code === undefined) return "not run";
  if (run.code === 0) return "every target met";
  const missed = missedTargets(benchOutput(run.log));
  return missed.length > 0 ? `missed: ${missed.join("; ").replace(/\|/g, "\\|")}` : `failed (exit ${run.code})`;
}

export interface ReportOptions {
  date: string;
  /** Folder the report and its chart folder are written to (bench/results). */
  outDir: string;
  /** How the figures were made, as markdown. */
  command: string;
}

/** Writes `<date>.md`, `<date>/<pkg>.txt` (the output) and `.json`, and one SVG per ratio table; returns the report's path. */
export function writeReport(runs: BenchRun[], options: ReportOptions): string {
  const assets = join(options.outDir, options.date);
  mkdirSync(assets, { recursive: true });
  const cpus = os.cpus();
  const lines = [
    `# netlab benchmarks, ${options.date}`,
    "",
    `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), load average ${os.loadavg().map((load) => load.toFixed(2)).join(" ")} when the report was written.`,
    `Command: ${options.command}. Each package's benchmark measures netlab beside the alternatives in the same run and reports ratios; the sections below are their own output, unchanged. Ratios on a shared 2-core machine move from run to run: read them as ranges, and see each package's README for the figures over several runs.`,
    "",
    "| package | result | seconds | charts |",
    "| --- | --- | ---: | ---: |",
  ];
  const sections: string[] = [];
  for (const run of runs) {
    const output = benchOutput(run.log);
    if (run.code !== undefined) {
      writeFileSync(join(assets, `${run.pkg.short}.txt`), run.log);
      writeFileSync(join(assets, `${run.pkg.short}.json`), `${JSON.stringify({ code: run.code, seconds: run.seconds })}\n`);
    }
    const charts = parseTables(output).flatMap((table) => ratioSeries(table) ?? pairSeries(table) ?? []);
    charts.forEach((series, index) => writeFileSync(join(assets, `${run.pkg.short}-${index + 1}.svg`), barChartSvg({ ...series, title: `${run.pkg.name}: ${series.title}` })));
    lines.push(`| [${run.pkg.name}](#${run.pkg.short}) | ${outcome(run)} | ${run.seconds || "-"} | ${charts.length} |`);
    sections.push(
      "",
      `<a id="${run.pkg.short}"></a>`,
      `## ${run.pkg.name}`,
      "",
      `\`pnpm --filter ${run.pkg.name} bench\`: ${outcome(run)}.`,
      "",
      ...charts.map((series, index) => `![${series.title}: ${series.column}](${options.date}/${run.pkg.short}-${index + 1}.svg)`),
      "",
      // Their headings sit one level under the package's.
      output.replace(/^#{1,6} /gm, "### ") || "(no output)",
    );
  }
  const path = join(options.outDir, `${options.date}.md`);
  writeFileSync(path, [...lines, ...sections, ""].join("\n"));
  return path;
}
