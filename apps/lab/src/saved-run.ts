// A run's directory keeps its record beside the report: per package, the results the benches
// wrote (<short>/<bench>.json), their output (<short>.log) and exit status (<short>.run.json).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readResult, ResultFormatError, type BenchResult } from "@netlab/bench-kit";
import type { WorkspacePackage } from "./workspace.js";

/** How a package's `bench` script ended. */
export interface RunStatus {
  code: number;
  seconds: number;
}

/** What a run holds for one package: its results, and every way it went wrong, one line each. */
export interface PackageResults {
  pkg: WorkspacePackage;
  /** Undefined for results made without `netlab bench` (nothing is known of the script's exit). */
  status: RunStatus | undefined;
  results: BenchResult[];
  problems: string[];
}

/** The directory a package's benches write their results into for this run. */
export const resultsDirOf = (runDir: string, pkg: WorkspacePackage): string => join(runDir, pkg.short);

/** Empties (or creates) a package's results directory, so only this run's results are read. */
export function freshResultsDir(runDir: string, pkg: WorkspacePackage): string {
  const dir = resultsDirOf(runDir, pkg);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Keeps a package's output and exit status beside its results. */
export function saveRunStatus(runDir: string, pkg: WorkspacePackage, status: RunStatus, log: string): void {
  writeFileSync(join(runDir, `${pkg.short}.log`), log);
  writeFileSync(join(runDir, `${pkg.short}.run.json`), `${JSON.stringify(status)}\n`);
}

/** Whether the run holds a results directory for pkg. */
export const hasResults = (runDir: string, pkg: WorkspacePackage): boolean => statSync(resultsDirOf(runDir, pkg), { throwIfNoEntry: false })?.isDirectory() ?? false;

function readStatus(runDir: string, pkg: WorkspacePackage, problems: string[]): RunStatus | undefined {
  const file = join(runDir, `${pkg.short}.run.json`);
  if (!existsSync(file)) return undefined;
  try {
    const { code, seconds } = JSON.parse(readFileSync(file, "utf8")) as Partial<RunStatus>;
    if (typeof code === "number" && typeof seconds === "number") return { code, seconds };
  } catch {
    // reported below, like a status of the wrong shape
  }
  problems.push(`${file}: not a run status ({ "code": 0, "seconds": 12 })`);
  return undefined;
}

function readOne(file: string, pkg: WorkspacePackage, problems: string[]): BenchResult[] {
  try {
    const result = readResult(file);
    if (result.package === pkg.name) return [result];
    problems.push(`${file}: a result of ${result.package}, not of ${pkg.name}`);
  } catch (error) {
    if (error instanceof ResultFormatError) problems.push(error.where === file ? error.message : `${file}: ${error.message}`);
    else if (error instanceof Error && "code" in error) problems.push(`${file}: cannot read it (${error.message})`);
    else throw error;
  }
  return [];
}

/** Reads a package's results from runDir: each malformed file, or none at all, is one problem line. */
export function readPackageResults(runDir: string, pkg: WorkspacePackage): PackageResults {
  const problems: string[] = [];
  const status = readStatus(runDir, pkg, problems);
  const failed = status !== undefined && status.code !== 0;
  if (failed) problems.push(`${pkg.name}: \`pnpm run bench\` failed (exit ${status.code}); its output is in ${join(runDir, `${pkg.short}.log`)}`);
  const dir = resultsDirOf(runDir, pkg);
  const files = hasResults(runDir, pkg) ? readdirSync(dir).filter((name) => name.endsWith(".json")).sort() : [];
  const results = files.flatMap((name) => readOne(join(dir, name), pkg, problems));
  // A script that failed already has its line; one that exited 0 without results needs one.
  if (files.length === 0 && !failed) problems.push(`${pkg.name}: no result in ${dir} (its benches write <bench>.json there through $NETLAB_BENCH_RESULTS)`);
  return { pkg, status, results, problems };
}
