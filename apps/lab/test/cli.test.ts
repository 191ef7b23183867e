import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newResult, writeResult, type Metric } from "@netlab/bench-kit";
import { afterEach, expect, test } from "vitest";

const bin = fileURLToPath(new URL("../bin/netlab.js", import.meta.url));
const cwd = fileURLToPath(new URL("..", import.meta.url));

function netlab(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd ?? cwd, env: options.env ?? process.env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test("--help lists the commands with examples; --version prints the version", async () => {
  const help = await netlab(["--help"]);
  expect(help.code).toBe(0);
  for (const text of ["netlab start", "netlab demo", "netlab bench", "Examples:", "NETLAB_ECHO_SERVER_PORT=7007"]) expect(help.stdout).toContain(text);
  const version = await netlab(["--version"]);
  expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
});

test.each([[["nope"]], [[]], [["start", "--port", "1"]]])("usage error %j: one line on stderr, exit 2", async (args) => {
  const result = await netlab(args);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^netlab: .*\(see --help\)\n$/);
});

function savedRun(): string {
  const from = mkdtempSync(join(tmpdir(), "netlab-bench-run-"));
  dirs.push(from);
  const save = (short: string, name: string, bench: string, metrics: Metric[]) => writeResult(join(from, short, `${bench}.json`), newResult({ package: name, bench, command: `pnpm --filter ${name} bench`, metrics }));
  save("ip-codec", "@netlab/ip-codec", "parse", [{ name: "IPv4 text to bytes", unit: "ns", value: 50, alternative: { name: "ipaddr.js", value: 330 }, target: { max: 100 } }]);
  save("chat-server", "@netlab/chat-server", "scale-connections", [{ name: "idle connections", unit: "conns", value: 9800, target: { min: 10000 } }]);
  return from;
}

test("bench --from rebuilds the report and charts from a saved run's JSON without running anything", async () => {
  const from = savedRun();
  const out = mkdtempSync(join(tmpdir(), "netlab-bench-out-"));
  dirs.push(out);
  const result = await netlab(["bench", "--from", from, "--out", out, "--date", "2026-01-02", "--only", "ip-codec", "@netlab/chat-server"]);
  expect(result.stdout).not.toContain("=== ");
  expect(result.stderr).toBe(`\nnetlab: 1 target missed, 0 problems; see the summary in ${join(out, "2026-01-02.md")}\n`);
  expect(result.code).toBe(1);
  const report = readFileSync(join(out, "2026-01-02.md"), "utf8");
  expect(report).toContain("| [@netlab/ip-codec](#ip-codec) | 1 | 1 of 1 | - | every target met |");
  expect(report).toContain("- ❌ @netlab/chat-server scale-connections: idle connections 9,800 conns, target ≥ 10,000 conns");
  expect(report).toContain("| idle connections | 9,800 conns | ≥ 10,000 conns | ❌ |");
  expect(report.indexOf("## Scale")).toBeLessThan(report.indexOf("## @netlab/ip-codec"));
  expect(readFileSync(join(out, "2026-01-02", "ip-codec-parse.svg"), "utf8")).toContain(">0.15x<");
  expect(existsSync(join(out, "2026-01-02", "chat-server-scale-connections.svg"))).toBe(false);
});

test("bench --from without --only reports the packages the run holds; a malformed result is one line and exit 1", async () => {
  const from = savedRun();
  const out = mkdtempSync(join(tmpdir(), "netlab-bench-out-"));
  dirs.push(out);
  const good = await netlab(["bench", "--from", from, "--out", out, "--date", "d", "--only", "ip-codec"]);
  expect(good).toMatchObject({ code: 0, stderr: "", stdout: `\nnetlab: every target met; report written to ${join(out, "d.md")}\n` });
  writeFileSync(join(from, "ip-codec", "size.json"), "{}");
  const bad = await netlab(["bench", "--from", from, "--out", out, "--date", "d"]);
  expect(bad.code).toBe(1);
  const report = readFileSync(join(out, "d.md"), "utf8");
  expect(report).toContain(`- ${join(from, "ip-codec", "size.json")}: result.version: not 1\n`);
  expect(report).toContain("## @netlab/chat-server");
  expect(report).not.toContain("@netlab/net-info");
});

test("bench --from a folder without package results, or no folder, is one line and exit 1", async () => {
  const empty = mkdtempSync(join(tmpdir(), "netlab-bench-empty-"));
  dirs.push(empty);
  writeFileSync(join(empty, "ip-codec.txt"), "| old | log |\n");
  for (const from of [empty, join(empty, "nope")]) {
    const result = await netlab(["bench", "--from", from, "--out", empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^netlab: no (package results in|saved run at) [^\n]+\n$/);
  }
});

test("bench runs each package's bench script with its results going to a fresh folder beside the report", async () => {
  const root = mkdtempSync(join(tmpdir(), "netlab-bench-workspace-"));
  dirs.push(root);
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages: [packages/*]\n");
  mkdirSync(join(root, "apps"));
  // A stand-in for pnpm (found through npm_execpath, as when pnpm runs netlab): runs the named script.
  writeFileSync(
    join(root, "pnpm.mjs"),
    'import { execSync } from "node:child_process";\nimport { readFileSync } from "node:fs";\nconst { scripts } = JSON.parse(readFileSync("package.json", "utf8"));\ntry { execSync(scripts[process.argv[3]], { stdio: "inherit" }); } catch (error) { process.exit(error.status ?? 1); }\n',
  );
  const kit = import.meta.resolve("@netlab/bench-kit");
  const writes = `import { newResult, saveResult } from "${kit}";\nconsole.log("measuring");\nsaveResult(process.cwd(), newResult({ package: "@fake/good", bench: "speed", command: "node bench.mjs", metrics: [{ name: "ops", unit: "op/s", value: 1200, target: { min: 1000 } }] }));\n`;
  for (const [short, script] of [["good", "node bench.mjs"], ["broken", "node -e \"console.log('no result'); process.exit(3)\""]] as const) {
    mkdirSync(join(root, "packages", short), { recursive: true });
    writeFileSync(join(root, "packages", short, "package.json"), JSON.stringify({ name: `@fake/${short}`, scripts: { bench: script } }));
  }
  writeFileSync(join(root, "packages", "good", "bench.mjs"), writes);
  const out = join(root, "out");
  // A result left from an earlier run of the same day is not read again.
  mkdirSync(join(out, "d", "good"), { recursive: true });
  writeFileSync(join(out, "d", "good", "old.json"), "{}");
  const result = await netlab(["bench", "--out", out, "--date", "d"], { cwd: root, env: { ...process.env, npm_execpath: join(root, "pnpm.mjs") } });
  expect(result.stdout).toContain("=== @fake/good: pnpm bench\nmeasuring\n");
  expect(result.stdout).toContain("no result");
  expect(result.stderr).toBe(`\nnetlab: 0 targets missed, 1 problem; see the summary in ${join(out, "d.md")}\n`);
  expect(result.code).toBe(1);
  expect(existsSync(join(out, "d", "good", "old.json"))).toBe(false);
  expect(JSON.parse(readFileSync(join(out, "d", "good", "speed.json"), "utf8"))).toMatchObject({ package: "@fake/good", bench: "speed" });
  expect(JSON.parse(readFileSync(join(out, "d", "broken.run.json"), "utf8"))).toMatchObject({ code: 3 });
  expect(readFileSync(join(out, "d", "broken.log"), "utf8")).toBe("no result\n");
  const report = readFileSync(join(out, "d.md"), "utf8");
  expect(report).toContain("| ops | 1,200 op/s | ≥ 1,000 op/s | ✅ |");
  expect(report).toContain(`- @fake/broken: \`pnpm run bench\` failed (exit 3); its output is in ${join(out, "d", "broken.log")}\n`);
  // The saved run rebuilds the same report.
  const again = await netlab(["bench", "--from", join(out, "d"), "--out", join(root, "again"), "--date", "d"], { cwd: root });
  expect(again.code).toBe(1);
  expect(readFileSync(join(root, "again", "d.md"), "utf8")).toContain("| ops | 1,200 op/s | ≥ 1,000 op/s | ✅ |");
});
