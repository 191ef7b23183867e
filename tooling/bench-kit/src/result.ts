// The JSON result every netlab bench writes, for the lab to render without parsing text.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Ratio } from "./rounds.js";

/** Version of the result format; readResult refuses others. */
export const RESULT_VERSION = 1;

export interface Machine {
  /** Logical CPUs. */
  cpus: number;
  /** CPU model ("model name" of /proc/cpuinfo), or "unknown". */
  model: string;
}

export interface Metric {
  /** What was measured, e.g. "fan-out deliveries/s". */
  name: string;
  /** Its unit, e.g. "msg/s", "ms", "B", "x" for a ratio. */
  unit: string;
  value: number;
  /** Lowest and highest over the rounds, when value sums up several. */
  range?: { min: number; max: number };
  /** The same figure for what netlab is compared with, in the same run (ngircd, socat...). */
  alternative?: { name: string; value: number };
  /** value over the alternative's, round by round. */
  ratio?: Ratio;
  /** What value should be: at most max, at least min (or both); the report says whether it is met. */
  target?: { min?: number; max?: number };
  /** One line the report prints beside the figure (what limited it, how it was measured). */
  note?: string;
}

export interface BenchResult {
  version: typeof RESULT_VERSION;
  /** Package name, e.g. "@netlab/chat-server". */
  package: string;
  /** Which of its benches, e.g. "fan-out". */
  bench: string;
  /** When it ran (ISO 8601). */
  date: string;
  /** process.version of the bench. */
  node: string;
  machine: Machine;
  /** The command that produced it, to run it again. */
  command: string;
  metrics: Metric[];
}

/** The CPU count and model of this machine. */
export function machineInfo(cpuinfo = "/proc/cpuinfo"): Machine {
  // The machine's CPUs, not this process's: a bench pinned with taskset would otherwise say 1.
  const cpus = os.cpus().length || 1;
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync(cpuinfo, "utf8"))?.[1]?.trim();
    if (model) return { cpus, model };
  } catch {
    // not Linux: fall back on what Node knows
  }
  return { cpus, model: os.cpus()[0]?.model.trim() || "unknown" };
}

/** A result for this run: date, Node version and machine filled in. */
export function newResult(fields: { package: string; bench: string; command: string; metrics?: Metric[] }): BenchResult {
  return {
    version: RESULT_VERSION,
    package: fields.package,
    bench: fields.bench,
    date: new Date().toISOString(),
    node: process.version,
    machine: machineInfo(),
    command: fields.command,
    metrics: fields.metrics ?? [],
  };
}

/** A result that is not of the expected shape; `where` points at the offending field. */
export class ResultFormatError extends Error {
  override readonly name = "ResultFormatError";
  constructor(
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

type Fields = Record<string, unknown>;

function object(value: unknown, where: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ResultFormatError(where, "not an object");
  return value as Fields;
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "") throw new ResultFormatError(where, "not a non-empty string");
  return value;
}

function finite(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ResultFormatError(where, "not a finite number");
  return value;
}

function ratioOf(value: unknown, where: string): Ratio {
  const r = object(value, where);
  return { best: finite(r.best, `${where}.best`), median: finite(r.median, `${where}.median`), min: finite(r.min, `${where}.min`), max: finite(r.max, `${where}.max`) };
}

function metricOf(value: unknown, where: string): Metric {
  const m = object(value, where);
  const metric: Metric = { name: text(m.name, `${where}.name`), unit: text(m.unit, `${where}.unit`), value: finite(m.value, `${where}.value`) };
  if (m.range !== undefined) {
    const range = object(m.range, `${where}.range`);
    metric.range = { min: finite(range.min, `${where}.range.min`), max: finite(range.max, `${where}.range.max`) };
    if (metric.range.min > metric.range.max) throw new ResultFormatError(`${where}.range`, "min above max");
  }
  if (m.alternative !== undefined) {
    const alternative = object(m.alternative, `${where}.alternative`);
    metric.alternative = { name: text(alternative.name, `${where}.alternative.name`), value: finite(alternative.value, `${where}.alternative.value`) };
  }
  if (m.ratio !== undefined) metric.ratio = ratioOf(m.ratio, `${where}.ratio`);
  if (m.target !== undefined) {
    const target = object(m.target, `${where}.target`);
    metric.target = {};
    if (target.min !== undefined) metric.target.min = finite(target.min, `${where}.target.min`);
    if (target.max !== undefined) metric.target.max = finite(target.max, `${where}.target.max`);
    if (metric.target.min === undefined && metric.target.max === undefined) throw new ResultFormatError(`${where}.target`, "neither min nor max");
  }
  if (m.note !== undefined) metric.note = text(m.note, `${where}.note`);
  return metric;
}

/** Checks that value is a BenchResult and returns it (only its known fields); throws ResultFormatError otherwise. */
export function validateResult(value: unknown): BenchResult {
  const r = object(value, "result");
  if (r.version !== RESULT_VERSION) throw new ResultFormatError("result.version", `not ${RESULT_VERSION}`);
  const date = text(r.date, "result.date");
  if (Number.isNaN(Date.parse(date))) throw new ResultFormatError("result.date", "not a date");
  const machine = object(r.machine, "result.machine");
  const cpus = finite(machine.cpus, "result.machine.cpus");
  if (!Number.isInteger(cpus) || cpus < 1) throw new ResultFormatError("result.machine.cpus", "not a positive integer");
  if (!Array.isArray(r.metrics)) throw new ResultFormatError("result.metrics", "not an array");
  return {
    version: RESULT_VERSION,
    package: text(r.package, "result.package"),
    bench: text(r.bench, "result.bench"),
    date,
    node: text(r.node, "result.node"),
    machine: { cpus, model: text(machine.model, "result.machine.model") },
    command: text(r.command, "result.command"),
    metrics: r.metrics.map((metric, i) => metricOf(metric, `result.metrics[${i}]`)),
  };
}

/** Validates result and writes it as JSON to file (its directory created if need be). */
export function writeResult(file: string, result: BenchResult): void {
  const checked = validateResult(result);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(checked, null, 2)}\n`);
}

/** Environment variable naming the directory where saveResult writes (`netlab bench` sets it per package). */
export const RESULTS_DIR_VARIABLE = "NETLAB_BENCH_RESULTS";

/** Where saveResult writes: $NETLAB_BENCH_RESULTS, else bench/results/latest under packageDir. */
export function resultsDir(packageDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[RESULTS_DIR_VARIABLE] || path.join(packageDir, "bench", "results", "latest");
}

/** Writes result as `<bench>.json` into resultsDir(packageDir) and returns the file's path. */
export function saveResult(packageDir: string, result: BenchResult, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(result.bench)) throw new ResultFormatError("result.bench", "not a file-safe name (a-z, 0-9, '.', '-')");
  const file = path.join(resultsDir(packageDir, env), `${result.bench}.json`);
  writeResult(file, result);
  return file;
}

/** Reads and validates a result written by writeResult. */
export function readResult(file: string): BenchResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ResultFormatError(file, `not JSON (${error.message})`);
    throw error;
  }
  return validateResult(parsed);
}
