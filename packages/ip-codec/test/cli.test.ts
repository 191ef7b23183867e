import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { main } from "../src/command.js";

const BIN = join(import.meta.dirname, "../bin/ip-codec.js");

/** Runs the built CLI as users do (node bin/ip-codec.js); the package test script builds it first. */
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs main() in process, for the many cases that need no process. */
function call(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, (line) => out.push(line), (line) => err.push(line));
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("ip-codec command", () => {
  test("prints the lab's line, the integer and the classes for each address", async () => {
    const { code, stdout, stderr } = await run(["127.0.0.1", "192.168.0.1"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.split("\n")).toEqual([
      "IP Address: 127.0.0.1 => Packed: 7f000001, Unpacked: 127.0.0.1",
      "  Integer: 2130706433",
      "  Classes: loopback, private",
      "IP Address: 192.168.0.1 => Packed: c0a80001, Unpacked: 192.168.0.1",
      "  Integer: 3232235521",
      "  Classes: private",
      "",
    ]);
  });

  test("a bad address: one line naming it on stderr, the others still printed, exit 1", async () => {
    const { code, stdout, stderr } = await run(["1.2.3.256", "10.0.0.1"]);
    expect(code).toBe(1);
    expect(stderr).toBe('ip-codec: invalid IPv4 address "1.2.3.256": part 4 is 256, above 255\n');
    expect(stdout).toContain("IP Address: 10.0.0.1 => Packed: 0a000001");
  });

  test("--legacy reads inet_aton forms; without it they are refused", () => {
    const legacy = call(["--legacy", "127.1", "0x7f.1", "017700000001"]);
    expect(legacy.code).toBe(0);
    expect(legacy.stdout.match(/Unpacked: 127\.0\.0\.1/g)).toHaveLength(3);
    const strict = call(["127.1"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('ip-codec: invalid IPv4 address "127.1": part 3 is missing or empty');
  });

  test("--json prints one object per address, errors included", () => {
    const { code, stdout } = call(["--json", "::ffff:10.0.0.1", "fe80::1%eth0", "nope"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { input: "::ffff:10.0.0.1", address: "::ffff:10.0.0.1", family: 6, packed: "00000000000000000000ffff0a000001", integer: "281470849515521", classes: ["reserved", "ipv4-mapped", "private"] },
      { input: "fe80::1%eth0", address: "fe80::1%eth0", family: 6, packed: "fe800000000000000000000000000001", integer: "338288524927261089654018896841347694593", classes: ["link-local", "private"] },
      { input: "nope", error: 'invalid IPv4 address "nope": unexpected character "n"' },
    ]);
  });

  test.each([
    [["contains", "10.0.0.0/8", "10.1.2.3"], 0, "10.1.2.3 is in 10.0.0.0/8"],
    [["contains", "10.0.0.0/8", "10.1.2.3", "11.0.0.1"], 1, "11.0.0.1 is not in 10.0.0.0/8"],
    [["contains", "2001:db8::/32", "2001:db8::1"], 0, "2001:db8::1 is in 2001:db8::/32"],
    [["contains", "--legacy", "127.0.0.0/8", "127.1"], 0, "127.1 is in 127.0.0.0/8"],
  ])("%j exits %i", (args, expected, line) => {
    const { code, stdout } = call(args);
    expect(code).toBe(expected);
    expect(stdout).toContain(line);
  });

  test("contains --json, and a bad prefix", () => {
    expect(JSON.parse(call(["contains", "10.0.0.0/8", "10.0.0.1", "--json"]).stdout)).toEqual([{ prefix: "10.0.0.0/8", address: "10.0.0.1", contains: true }]);
    const bad = call(["contains", "10.0.0.0/33", "10.0.0.1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('ip-codec: invalid IP prefix "10.0.0.0/33": prefix length must be 0 to 32, without leading zeros');
  });

  test.each([[[]], [["--bogus", "1.2.3.4"]], [["contains", "10.0.0.0/8"]], [["--json=yes", "1.2.3.4"]]])("usage error %j exits 2 with one line", (args) => {
    const { code, stdout, stderr } = call(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^ip-codec: .+ \(see --help\)$/);
  });

  test("--help shows usage and examples; --version the package version", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ip-codec");
    expect(help.stdout).toContain("ip-codec contains 10.0.0.0/8 10.1.2.3");
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
