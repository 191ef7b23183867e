import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { machineInfo, newResult, readResult, ResultFormatError, resultsDir, saveResult, validateResult, writeResult, type BenchResult } from "../src/result.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-kit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(): BenchResult {
  return newResult({
    package: "@netlab/chat-server",
    bench: "fan-out",
    command: "pnpm --filter @netlab/chat-server bench",
    metrics: [
      { name: "deliveries/s", unit: "msg/s", value: 250_000, range: { min: 240_000, max: 260_000 }, alternative: { name: "ngircd", value: 125_000 }, ratio: { best: 2, median: 2, min: 1.9, max: 2.1 } },
      { name: "bytes per idle client", unit: "B", value: 9_900, target: { max: 6_144 }, note: "1,000 idle clients" },
    ],
  });
}

function formatError(value: unknown): ResultFormatError {
  try {
    validateResult(value);
  } catch (error) {
    if (error instanceof ResultFormatError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("machineInfo", () => {
  it("reads the CPU count and model", () => {
    const machine = machineInfo();
    expect(machine.cpus).toBeGreaterThanOrEqual(1);
    expect(machine.model).not.toBe("");
  });

  it("counts the machine's CPUs even when the process is pinned to one (taskset)", () => {
    const taskset = spawnSync("taskset", ["-c", "0", process.execPath, "--input-type=module", "-e", `import { machineInfo } from ${JSON.stringify(new URL("../dist/result.js", import.meta.url).href)}; console.log(machineInfo().cpus)`], { encoding: "utf8" });
    if (taskset.error) throw new Error("taskset is needed: apt-get install -y util-linux");
    expect(Number(taskset.stdout.trim())).toBe(os.cpus().length);
  });

  it("takes the model from a cpuinfo file", () => {
    const file = path.join(dir, "cpuinfo");
    writeFileSync(file, "processor\t: 0\nvendor_id\t: Test\nmodel name\t: Test CPU @ 1.00GHz\n\nprocessor\t: 1\nmodel name\t: Test CPU @ 1.00GHz\n");
    expect(machineInfo(file).model).toBe("Test CPU @ 1.00GHz");
  });
});

describe("newResult", () => {
  it("fills in date, node version and machine", () => {
    const result = sample();
    expect(result.version).toBe(1);
    expect(result.node).toBe(process.version);
    expect(Date.now() - Date.parse(result.date)).toBeLessThan(60_000);
    expect(result.machine.cpus).toBeGreaterThanOrEqual(1);
  });
});

describe("writeResult / readResult", () => {
  it("round-trips a result through JSON, creating the directory", () => {
    const file = path.join(dir, "nested", "fan-out.json");
    const result = sample();
    writeResult(file, result);
    expect(readResult(file)).toEqual(result);
    expect(readFileSync(file, "utf8").endsWith("}\n")).toBe(true);
  });

  it("refuses to write NaN, which JSON would turn into null", () => {
    const result = sample();
    const broken = { ...result, metrics: [{ name: "p99", unit: "ms", value: Number.NaN }] };
    expect(() => writeResult(path.join(dir, "nan.json"), broken)).toThrow("result.metrics[0].value: not a finite number");
  });

  it("refuses a file that is not JSON", () => {
    const file = path.join(dir, "text.json");
    writeFileSync(file, "| server | delivered/s |\n");
    expect(() => readResult(file)).toThrow(ResultFormatError);
  });

  it("drops fields it does not know", () => {
    const file = path.join(dir, "extra.json");
    writeFileSync(file, JSON.stringify({ ...sample(), extra: 1 }));
    expect(readResult(file)).not.toHaveProperty("extra");
  });
});

describe("validateResult", () => {
  it("names the field at fault", () => {
    const good = JSON.parse(JSON.stringify(sample())) as Record<string, unknown>;
    expect(formatError(null).where).toBe("result");
    expect(formatError({ ...good, version: 2 }).where).toBe("result.version");
    expect(formatError({ ...good, package: "" }).where).toBe("result.package");
    expect(formatError({ ...good, date: "yesterday" }).where).toBe("result.date");
    expect(formatError({ ...good, machine: { cpus: 0, model: "x" } }).where).toBe("result.machine.cpus");
    expect(formatError({ ...good, metrics: {} }).where).toBe("result.metrics");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "ms", value: "1" }] }).where).toBe("result.metrics[0].value");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "ms", value: 1, range: { min: 2, max: 1 } }] }).where).toBe("result.metrics[0].range");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "ms", value: 1, alternative: { name: "ngircd" } }] }).where).toBe("result.metrics[0].alternative.value");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "x", value: 1, ratio: { best: 1, median: 1, min: 1 } }] }).where).toBe("result.metrics[0].ratio.max");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "B", value: 1, target: {} }] }).where).toBe("result.metrics[0].target");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "B", value: 1, target: { max: "6" } }] }).where).toBe("result.metrics[0].target.max");
    expect(formatError({ ...good, metrics: [{ name: "x", unit: "B", value: 1, note: 3 }] }).where).toBe("result.metrics[0].note");
  });
});

describe("saveResult", () => {
  it("writes <bench>.json into $NETLAB_BENCH_RESULTS, else bench/results/latest of the package", () => {
    expect(resultsDir("/pkg", {})).toBe(path.join("/pkg", "bench", "results", "latest"));
    const out = path.join(dir, "saved");
    const file = saveResult("/pkg", sample(), { NETLAB_BENCH_RESULTS: out });
    expect(file).toBe(path.join(out, "fan-out.json"));
    expect(readResult(file).metrics).toEqual(sample().metrics);
  });

  it("refuses a bench name that is not a plain file name", () => {
    expect(() => saveResult("/pkg", { ...sample(), bench: "../escape" }, { NETLAB_BENCH_RESULTS: dir })).toThrow(ResultFormatError);
  });
});
