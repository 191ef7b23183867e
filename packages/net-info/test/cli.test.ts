import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hostName, interfaces, primaryAddress } from "../src/index.js";
import type { CliIo } from "../src/cli/cli-io.js";
import { runCli } from "../src/cli/run-cli.js";
import { dnsmasqProgram, startDnsmasq, type Dnsmasq } from "@netlab/test-kit";
import { labRecords } from "./fixtures/lab-records.js";
import { startSilentDnsServer } from "./fixtures/silent-dns-server.js";

const execFileAsync = promisify(execFile);
const bin = new URL("../bin/net-info.js", import.meta.url).pathname;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), exitCode: 0 };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

// The real process, for exit codes and streams as a shell sees them.
async function spawnCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("net-info prints the lab's lines, then the interface table", async () => {
  const { code, stdout } = await run();
  expect(code).toBe(0);
  const primary = await primaryAddress({ family: 4 });
  const lines = stdout.split("\n");
  expect(lines[0]).toBe(`Host name: ${hostName()}`);
  expect(lines[1]).toBe(`IP address: ${primary.address}`);
  expect(lines[2]).toMatch(/^IPv6 address: \S+$/);
  expect(stdout).toMatch(/^INTERFACE +FAMILY +ADDRESS +MAC +NOTES$/m);
  for (const entry of interfaces()) expect(stdout).toContain(entry.cidr);
});

test("net-info --json gives host name, primary addresses and interfaces", async () => {
  const { code, stdout } = await run("--json");
  expect(code).toBe(0);
  const parsed = JSON.parse(stdout) as { hostName: string; primaryAddress: { ipv4: { address: string } }; interfaces: unknown[] };
  expect(parsed.hostName).toBe(hostName());
  expect(parsed.primaryAddress.ipv4.address).toBe((await primaryAddress()).address);
  expect(parsed.interfaces).toEqual(interfaces());
});

test("net-info interfaces --json is the interface list", async () => {
  const { code, stdout } = await run("interfaces", "--json");
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual(interfaces());
});

test.each([
  [["resolve"], /Not enough non-option arguments/],
  [["resolve", "x", "--family", "5"], /family/],
  [["resolve", "x", "--server", "dns.example:53"], /bad DNS server address "dns.example:53"/],
  [["resolve", "x", "--timeout", "0"], /--timeout: invalid duration "0": it must be more than 0/],
  [["reverse", "x", "--concurrency", "0"], /--concurrency: invalid number "0"/],
  [["resolve", "x", "--timeout", "1", "--timeout", "2"], /--timeout given 2 times/],
  // An unknown flag before a host must not be taken to have eaten it.
  [["resolve", "--bogus", "x"], /Unknown argument: --bogus/],
  [["frobnicate"], /Unknown argument: frobnicate/],
  [["--bogus"], /Unknown argument/],
])("usage error %j exits 2 with one line on stderr", async (args, message) => {
  const { code, stdout, stderr } = await run(...args);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toMatch(message);
  expect(stderr.trim().split("\n")).toHaveLength(1);
});

test("--help shows the commands and examples; --version the package version", async () => {
  const help = await run("--help");
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("net-info resolve <hosts..>");
  expect(help.stdout).toContain("Examples:");
  const version = await run("--version");
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

test("resolve localhost and a literal through the system resolver", async () => {
  const { code, stdout } = await run("resolve", "localhost", "::1", "--json");
  expect(code).toBe(0);
  const [localhost, literal] = JSON.parse(stdout) as { host: string; addresses: { address: string }[] }[];
  expect(localhost?.addresses.map(({ address }) => address)).toEqual(expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]));
  expect(literal).toEqual({ host: "::1", addresses: [{ address: "::1", family: 6 }] });
});

describe.skipIf(dnsmasqProgram().skip)("resolve and reverse against a real dnsmasq", () => {
  let dns: Dnsmasq;
  beforeAll(async () => {
    dns = await startDnsmasq(labRecords);
  });
  afterAll(async () => {
    await dns?.stop();
  });

  test("many hosts, concurrently, printed in input order with errors in place; exit 1", async () => {
    const hosts = ["many.netlab.test", "missing.netlab.test", "alpha.netlab.test", "www.netlab.test", "v4only.netlab.test"];
    const { code, stdout, stderr } = await run("resolve", ...hosts, "--server", dns.server, "--concurrency", "5");
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(hosts);
    expect(lines[1]).toMatch(/^missing\.netlab\.test +error NOT_FOUND: no such host$/);
    expect(lines[2]).toMatch(/^alpha\.netlab\.test +10\.9\.8\.7 {2}fd00::7$/);
    expect(lines[0]?.split(/\s+/)).toHaveLength(9);
    expect(stderr).toBe("net-info: 1 of 5 hosts could not be resolved\n");
  });

  test("--family 6 --json carries family and TTL; a NO_DATA host is an error object", async () => {
    const { code, stdout } = await run("resolve", "alpha.netlab.test", "v4only.netlab.test", "--family", "6", "--server", dns.server, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { host: "alpha.netlab.test", addresses: [{ address: "fd00::7", family: 6, ttl: 300 }] },
      { host: "v4only.netlab.test", error: { code: "NO_DATA", message: "could not resolve v4only.netlab.test: the host has no address of that family" } },
    ]);
  });

  test("all hosts found: exit 0, nothing on stderr (the real process)", async () => {
    const { code, stdout, stderr } = await spawnCli("resolve", "alpha.netlab.test", "www.netlab.test", "-s", dns.server, "-f", "4");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^alpha\.netlab\.test +10\.9\.8\.7\nwww\.netlab\.test +10\.9\.8\.7\n$/);
  });

  test("a failed lookup exits 1 and a usage error 2 (the real process)", async () => {
    expect((await spawnCli("resolve", "missing.netlab.test", "-s", dns.server)).code).toBe(1);
    const usage = await spawnCli("resolve", "-s", dns.server);
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });

  test("--server before the hosts, in every spelling, takes one address and leaves the hosts alone", async () => {
    for (const args of [
      ["resolve", "--server", dns.server, "alpha.netlab.test"],
      ["resolve", "-s", dns.server, "alpha.netlab.test"],
      ["resolve", `--server=${dns.server}`, "alpha.netlab.test"],
      ["resolve", "--server", dns.server, "--server", dns.server, "alpha.netlab.test"],
    ]) {
      const { code, stdout } = await run(...args);
      expect({ args, code }).toEqual({ args, code: 0 });
      expect(stdout).toMatch(/^alpha\.netlab\.test +10\.9\.8\.7 {2}fd00::7\n$/);
    }
    const reverse = await run("reverse", "--server", dns.server, "10.9.8.7");
    expect(reverse.code).toBe(0);
    expect(reverse.stdout).toMatch(/^10\.9\.8\.7 +alpha\.netlab\.test\n$/);
  });

  test("reverse prints PTR names in input order; a bad address is an error in place", async () => {
    const { code, stdout } = await run("reverse", "10.9.8.7", "nonsense", "fd00::7", "--server", dns.server);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^10\.9\.8\.7 +alpha\.netlab\.test$/),
      expect.stringMatching(/^nonsense +error BAD_ADDRESS: not an IP address$/),
      expect.stringMatching(/^fd00::7 +alpha\.netlab\.test$/),
    ]);
  });

});

test("--timeout bounds a lookup against a server that never answers", async () => {
  const silent = await startSilentDnsServer();
  try {
    const started = performance.now();
    const { code, stdout } = await run("resolve", "slow.netlab.test", "--server", silent.server, "--timeout", "300");
    expect(performance.now() - started).toBeLessThan(800);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^slow\.netlab\.test +error TIMEOUT: timed out after 300 ms$/m);
  } finally {
    await silent.close();
  }
});
