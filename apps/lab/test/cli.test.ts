import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";

const bin = fileURLToPath(new URL("../bin/netlab.js", import.meta.url));
const cwd = fileURLToPath(new URL("..", import.meta.url));

function netlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
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

test("bench --from builds the report and charts from saved logs, and exits 1 when a package missed a target", async () => {
  const from = mkdtempSync(join(tmpdir(), "netlab-bench-logs-"));
  const out = mkdtempSync(join(tmpdir(), "netlab-bench-out-"));
  dirs.push(from, out);
  writeFileSync(join(from, "ip-codec.txt"), "### IPv4 text to bytes\n\n| candidate | ns | vs inetPton(4) |\n| --- | ---: | ---: |\n| inetPton(4) | 50 | 1.00x |\n| ipaddr.js | 330 | 6.60x |\n");
  writeFileSync(join(from, "net-info.txt"), "| Scenario | Ratio | Met |\n| --- | ---: | --- |\n| resolve | 0.88 | NO |\n| cache | 96.2 | yes |\n\nbench: a target was missed\n ELIFECYCLE  Command failed with exit code 1.\n");
  const result = await netlab(["bench", "--from", from, "--out", out, "--date", "2026-01-02", "--only", "ip-codec", "@netlab/net-info"]);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(join(out, "2026-01-02.md"));
  const report = readFileSync(join(out, "2026-01-02.md"), "utf8");
  expect(report).toContain("| [@netlab/ip-codec](#ip-codec) | every target met | - | 1 |");
  expect(report).toContain("| [@netlab/net-info](#net-info) | missed: resolve | - | 1 |");
  expect(report).toContain("![IPv4 text to bytes: vs inetPton(4)](2026-01-02/ip-codec-1.svg)");
  expect(report).toContain("\n### IPv4 text to bytes\n");
  expect(report).not.toContain("ELIFECYCLE");
  expect(readFileSync(join(out, "2026-01-02", "ip-codec-1.svg"), "utf8")).toContain("@netlab/ip-codec: IPv4 text to bytes");
  expect(existsSync(join(out, "2026-01-02", "net-info-1.svg"))).toBe(true);
  expect(existsSync(join(out, "2026-01-02", "service-db-1.svg"))).toBe(false);
});
