import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newResult, writeResult, type Metric } from "@netlab/bench-kit";
import { afterEach, expect, test } from "vitest";
import { writeReport } from "../src/bench-report.js";
import { readPackageResults, saveRunStatus } from "../src/saved-run.js";
import type { WorkspacePackage } from "../src/workspace.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "netlab-report-"));
  dirs.push(dir);
  return dir;
}

const pkg = (short: string, group = "packages"): WorkspacePackage => ({ name: `@netlab/${short}`, short, dir: join("/work", group, short), scripts: { bench: "node bench/run.js" } });
const ipCodec = pkg("ip-codec");
const chatServer = pkg("chat-server", "apps");

/** Writes a result the way a bench does, with the kit, into the run's folder for pkg. */
function save(runDir: string, owner: WorkspacePackage, bench: string, metrics: Metric[]): void {
  writeResult(join(runDir, owner.short, `${bench}.json`), newResult({ package: owner.name, bench, command: `pnpm --filter ${owner.name} bench`, metrics }));
}

function sampleRun(): string {
  const run = tempDir();
  save(run, ipCodec, "parse", [
    { name: "IPv4 text to bytes", unit: "ns", value: 46.6, alternative: { name: "ipaddr.js", value: 588 }, ratio: { best: 0.08, median: 0.079, min: 0.07, max: 0.09 }, target: { max: 100 } },
    { name: "bundle", unit: "B", value: 4174, target: { max: 4096 }, note: "min+gzip of everything" },
  ]);
  save(run, chatServer, "scale-connections", [{ name: "idle connections", unit: "conns", value: 10240, range: { min: 10100, max: 10240 }, target: { min: 10000 } }]);
  save(run, chatServer, "fan-out", [{ name: "deliveries/s", unit: "msg/s", value: 819234, alternative: { name: "ngircd", value: 563710 } }]);
  return run;
}

test("the report has a summary of missed targets, the scale section first, and a table per bench", () => {
  const run = sampleRun();
  const out = tempDir();
  const report = writeReport([readPackageResults(run, ipCodec), readPackageResults(run, chatServer)], { date: "2026-12-06", outDir: out, command: "`pnpm bench`" });
  expect(report.path).toBe(join(out, "2026-12-06.md"));
  expect(report.problems).toEqual([]);
  expect(report.missed).toEqual(["@netlab/ip-codec parse: bundle 4,174 B, target ≤ 4,096 B"]);
  const md = readFileSync(report.path, "utf8");
  expect(md).toContain("| [@netlab/ip-codec](#ip-codec) | 1 | 1 of 2 | - | 1 target missed |");
  expect(md).toContain("| [@netlab/chat-server](#chat-server) | 2 | 1 of 1 | - | every target met |");
  expect(md).toContain("- ❌ @netlab/ip-codec parse: bundle 4,174 B, target ≤ 4,096 B");
  expect(md).toContain("| metric | value | range | target | met |\n| --- | ---: | ---: | ---: | :---: |\n| idle connections | 10,240 conns | 10,100–10,240 conns | ≥ 10,000 conns | ✅ |");
  expect(md).toContain("| IPv4 text to bytes | 46.6 ns | ipaddr.js: 588 ns | 0.08x (0.07x–0.09x) | ≤ 100 ns | ✅ |");
  expect(md).toContain("| bundle | 4,174 B | - | - | ≤ 4,096 B | ❌ |");
  expect(md).toContain("- bundle: min+gzip of everything");
  // Scale leads: before any package's own section, and not repeated there.
  const scale = md.indexOf("## Scale");
  expect(scale).toBeGreaterThan(md.indexOf("## Summary"));
  expect(scale).toBeLessThan(md.indexOf("## @netlab/ip-codec"));
  expect(md.match(/scale-connections/g)).toHaveLength(1);
  expect(md).toContain("### @netlab/chat-server scale-connections");
  expect(md).toContain("Its scale benches are in [Scale](#scale) above.");
});

test("each bench with an alternative or a ratio gets a chart with one bar per such metric", () => {
  const run = sampleRun();
  const out = tempDir();
  const { path } = writeReport([readPackageResults(run, ipCodec), readPackageResults(run, chatServer)], { date: "d", outDir: out, command: "`pnpm bench`" });
  const md = readFileSync(path, "utf8");
  expect(md).toContain("![@netlab/ip-codec parse](d/ip-codec-parse.svg)");
  expect(md).toContain("![@netlab/chat-server fan-out](d/chat-server-fan-out.svg)");
  expect(md).not.toContain("scale-connections.svg");
  const parse = readFileSync(join(out, "d", "ip-codec-parse.svg"), "utf8");
  expect(parse.match(/<rect x=/g)).toHaveLength(1);
  expect(parse).toContain("IPv4 text to bytes vs ipaddr.js");
  expect(parse).toContain(">0.08x<");
  // The ratio's range is drawn over its bar.
  expect(parse).toMatch(/<line x1="\d+" y1="\d+" x2="\d+" y2="\d+" stroke="#111"/);
  const fanOut = readFileSync(join(out, "d", "chat-server-fan-out.svg"), "utf8");
  expect(fanOut).toContain("deliveries/s vs ngircd");
  expect(fanOut).toContain(">1.45x<");
});

test("a malformed result, a missing one and a failed script are one line each, and the rest is still reported", () => {
  const run = sampleRun();
  mkdirSync(join(run, "net-info"));
  writeFileSync(join(run, "net-info", "resolve.json"), JSON.stringify({ ...newResult({ package: "@netlab/net-info", bench: "resolve", command: "x" }), metrics: [{ name: "lookups/s", unit: "/s", value: null }] }));
  writeFileSync(join(run, "net-info", "cache.json"), "{ not json");
  mkdirSync(join(run, "service-db"));
  saveRunStatus(run, pkg("echo-server", "apps"), { code: 1, seconds: 12 }, "bench: socat not found\n");
  const entries = [ipCodec, pkg("net-info"), pkg("service-db"), pkg("echo-server", "apps")].map((owner) => readPackageResults(run, owner));
  const report = writeReport(entries, { date: "d", outDir: tempDir(), command: "`pnpm bench`" });
  const [notJson, ...others] = report.problems;
  expect(notJson?.startsWith(`${join(run, "net-info", "cache.json")}: not JSON (`)).toBe(true);
  expect(notJson).not.toContain("\n");
  expect(others).toEqual([
    `${join(run, "net-info", "resolve.json")}: result.metrics[0].value: not a finite number`,
    `@netlab/service-db: no result in ${join(run, "service-db")} (its benches write <bench>.json there through $NETLAB_BENCH_RESULTS)`,
    `@netlab/echo-server: \`pnpm run bench\` failed (exit 1); its output is in ${join(run, "echo-server.log")}`,
  ]);
  const md = readFileSync(report.path, "utf8");
  expect(md).toContain("4 problems:");
  for (const line of report.problems) expect(md).toContain(`- ${line}`);
  expect(md).toContain("| [@netlab/net-info](#net-info) | 0 | - | - | 2 problems |");
  expect(md).toContain("| [@netlab/echo-server](#echo-server) | 0 | - | 12 | 1 problem |");
  expect(md).toContain("`pnpm --filter @netlab/echo-server bench`: exit 1 after 12 s.");
  expect(md).toContain("| IPv4 text to bytes | 46.6 ns |");
});

test("a note shared by every metric of a bench is one line; others name their metrics", () => {
  const run = tempDir();
  const shared = { unit: "ns", note: "CPU time per call, best of 25 rounds" };
  save(run, ipCodec, "candidates", [
    { name: "a", value: 1, ...shared },
    { name: "b", value: 2, ...shared },
  ]);
  save(run, ipCodec, "sizes", [
    { name: "whole", unit: "B", value: 4175, note: "below ipaddr.js" },
    { name: "alone", unit: "B", value: 1658, note: "tree-shakeable" },
    { name: "other", unit: "B", value: 1 },
  ]);
  const md = readFileSync(writeReport([readPackageResults(run, ipCodec)], { date: "d", outDir: tempDir(), command: "x" }).path, "utf8");
  expect(md).toContain("| b | 2.00 ns |\n\n- CPU time per call, best of 25 rounds\n");
  expect(md).toContain("- whole: below ipaddr.js\n- alone: tree-shakeable\n");
  expect(md).toContain("| other | 1 B |");
});

test("a result filed under the wrong package is a problem, not a figure of this one", () => {
  const run = tempDir();
  save(run, chatServer, "fan-out", []);
  writeFileSync(join(run, "chat-server", "stray.json"), readFileSync(join(run, "chat-server", "fan-out.json"), "utf8").replace("@netlab/chat-server", "@netlab/echo-server"));
  const entry = readPackageResults(run, chatServer);
  expect(entry.results.map((result) => result.bench)).toEqual(["fan-out"]);
  expect(entry.problems).toEqual([`${join(run, "chat-server", "stray.json")}: a result of @netlab/echo-server, not of @netlab/chat-server`]);
});
