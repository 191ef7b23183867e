import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { servicesFixture } from "./fixture.js";

const BIN = fileURLToPath(new URL("../bin/service-db.js", import.meta.url));
const FILE = "ftp 21/tcp\nssh 22/tcp # SSH Remote Login Protocol\npop3 110/tcp pop-3\ndomain 53/udp\nircd 6667/tcp\n";

/** Runs the built command line (dist/, built by the test script) with its own services file. */
function run(args: string[], file = FILE): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, NETLAB_SERVICES_FILE: servicesFixture(file) },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("service-db", () => {
  test("prints the lab's table for 21 22 110", () => {
    const { code, stdout, stderr } = run(["21", "22", "110"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]?.split(/\s{2,}/)).toEqual(["Port", "Protocol", "Service", "Aliases", "Description"]);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ["21", "tcp", "ftp", "-"],
      ["22", "tcp", "ssh", "-"],
      ["110", "tcp", "pop3", "pop-3"],
    ]);
    expect(lines[2]).toContain("SSH Remote Login Protocol");
  });

  test.each([
    [["--protocol", "udp", "53"], "53 udp domain"],
    [["53/udp"], "53 udp domain"],
    [["6667"], "6667 tcp ircd"],
    [["--embedded", "6667"], "6665-6669 tcp ircu"],
    [["--embedded", "9900"], "9900 tcp iua"],
    [["name", "ssh"], "22 tcp ssh"],
    [["name", "pop-3"], "110 tcp pop3"],
    [["name", "imaps"], "993 tcp imaps"],
    [["name", "--protocol", "udp", "domain"], "53 udp domain"],
  ])("%j prints %s", (args, row) => {
    const { code, stdout } = run(args);
    expect(code).toBe(0);
    expect(stdout.split("\n")[1]?.split(/\s{2,}/).slice(0, 3).join(" ")).toBe(row);
  });

  test("search lists matching services", () => {
    const { code, stdout } = run(["--embedded", "search", "mail"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^25\s+tcp\s+smtp\s/m);
    expect(stdout.split("\n").length).toBeGreaterThan(10);
  });

  test("--json prints services, null for a miss, and exits 1 on the miss", () => {
    const { code, stdout, stderr } = run(["--json", "--embedded", "80", "31999/dccp"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([{ name: "http", port: 80, protocol: "tcp", aliases: ["www", "www-http"], description: "World Wide Web HTTP", source: "iana" }, null]);
    expect(stderr).toBe("service-db: port 31999/dccp not found\n");
  });

  test("an unknown port or name is a clear line and exit 1", () => {
    expect(run(["31999/dccp"])).toMatchObject({ code: 1, stderr: "service-db: port 31999/dccp not found\n" });
    expect(run(["name", "no-such-service"])).toMatchObject({ code: 1, stderr: "service-db: service no-such-service not found\n" });
    expect(run(["search", "no-such-words-anywhere"])).toMatchObject({ code: 1, stdout: "" });
  });

  test.each([
    [["70000"], "port must be an integer in 0..65535, got 70000"],
    [["http"], `got "http"`],
    [["80/xyz"], "unknown protocol"],
    [["--protocol", "icmp", "80"], "Invalid values"],
    [["--no-such-flag", "80"], "Unknown argument: --no-such-flag"],
    // Before the port as after it: the unknown flag is named, not taken to have eaten the port.
    [["--bogus", "80"], "Unknown argument: --bogus"],
    [["80", "--bogus"], "Unknown argument: --bogus"],
    [["search", ""], "an empty search text"],
    [["name", ""], "an empty service name"],
    [["80", "--services-file", "a", "--services-file", "b"], "--services-file given 2 times"],
    [[], "Not enough non-option arguments"],
  ])("usage error %j: one line, exit 2", (args, message) => {
    const { code, stderr } = run(args);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  test("--help shows examples, --version the package version", () => {
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toContain("service-db 21 22 110");
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
  });
});
