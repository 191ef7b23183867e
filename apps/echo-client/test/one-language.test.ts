// "Every netlab command speaks one language": values checked before anything runs, one line per
// error, exit codes 0/1/2 (130 after Ctrl-C), the summary of an interrupted ping, help that works.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { benchLines } from "../src/report.js";
import { probe, type BenchResult } from "../src/index.js";
import { runCli } from "./run-cli.js";
import { startTestServer, startUdpTestServer } from "./test-servers.js";

const BIN = fileURLToPath(new URL("../bin/echo-client.js", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/** One line on stderr, nothing on stdout, no stack trace. */
function expectUsageError(run: { code: number | null; stdout: string; stderr: string }, line: string): void {
  expect(run.stderr).toBe(`echo-client: ${line} (see --help)\n`);
  expect(run.stdout).toBe("");
  expect(run.code).toBe(2);
}

describe("values are checked before anything runs (usage error, exit 2)", () => {
  test.each([
    [["--port", "abc"], '--port: invalid port "abc": use a number from 1 to 65535'],
    [["--port", "70000"], '--port: invalid port "70000": use a number from 1 to 65535'],
    [["--port", "-1"], '--port: invalid port "-1": use a number from 1 to 65535'],
    [["bench", "--port", "70000"], '--port: invalid port "70000": use a number from 1 to 65535'],
    [["--host", "999.1.1.1"], '--host: invalid host "999.1.1.1": use an IP address (127.0.0.1, ::1) or a host name'],
    [["--count", "-3"], '--count: invalid number "-3": use a whole number 1 or more'],
    [["--count", "0"], '--count: invalid number "0": use a whole number 1 or more'],
    [["--timeout", "0"], '--timeout: invalid duration "0": it must be more than 0'],
    [["bench", "--connections", "0"], '--connections: invalid number "0": use a whole number 1 or more'],
    [["bench", "--size", "0"], '--size: invalid size "0": use 1 byte or more'],
    [["bench", "--duration", "0"], '--duration: invalid duration "0": it must be more than 0'],
    [["--port", "1", "--port", "2"], "--port given 2 times: give it once"],
    [["hello", "--bogus"], "Unknown argument: --bogus"],
  ])("%j", async (args, line) => {
    expectUsageError(await runCli(args), line);
  });

  test("a message larger than a UDP datagram is refused at once, not sent and waited for", async () => {
    const port = await freePort("127.0.0.1");
    const started = Date.now();
    const run = await runCli(["a".repeat(100_000), "--udp", "--host", "127.0.0.1", "--port", String(port), "--timeout", "3s"]);
    expect(Date.now() - started).toBeLessThan(2500);
    expectUsageError(run, "the message is 100,000 bytes: a UDP datagram holds at most 65,507 (drop --udp to send it over TCP)");
    // The largest datagram still goes.
    const udp = await startUdpTestServer("echo");
    try {
      const largest = await runCli(["a".repeat(65_507), "--udp", "--host", "127.0.0.1", "--port", String(udp.port), "--count", "1"]);
      expect(largest.stdout).toContain("1 sent, 1 received, 0 mismatched");
      expect(largest.code).toBe(0);
    } finally {
      await udp.close();
    }
  });
});

describe("against an echo server", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer("echo");
  });
  afterAll(async () => {
    await server.close();
  });

  test("Ctrl-C during --count: the summary so far, then exit 130", async () => {
    const child = spawn(process.execPath, [BIN, "hello", "--host", "127.0.0.1", "--port", String(server.port), "--count", "100", "--interval", "50ms"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    while (!stdout.includes("seq=3 ")) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGINT");
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(130);
    expect(stderr).toBe("");
    expect(stdout).toContain(`--- 127.0.0.1:${server.port} echo statistics ---`);
    const counts = /\n(\d+) sent, (\d+) received, 0 mismatched/.exec(stdout);
    expect(Number(counts?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(counts?.[1])).toBeLessThan(100);
    expect(stdout).toMatch(/\nrtt min\/avg\/max\/mdev = /);
  });

  test("probe with an aborted signal: what was done so far, without waiting for the echo in flight", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 120);
    const result = await probe({ target: { host: "127.0.0.1", port: server.port, transport: "tcp", timeoutMs: 5000 }, message: Buffer.from("x"), count: 100, intervalMs: 30, signal: stop.signal });
    expect(result.interrupted).toBe(true);
    expect(result.sent).toBeGreaterThanOrEqual(2);
    expect(result.sent).toBeLessThan(100);
    expect(result.received).toBe(result.sent);

    const silent = await startTestServer("silent");
    try {
      const later = new AbortController();
      setTimeout(() => later.abort(), 100);
      const started = Date.now();
      const cut = await probe({ target: { host: "127.0.0.1", port: silent.port, transport: "tcp", timeoutMs: 5000 }, message: Buffer.from("x"), count: 3, signal: later.signal });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(cut).toMatchObject({ interrupted: true, sent: 1, received: 0 });
    } finally {
      await silent.close();
    }
  });

  test("every --host in the help's examples is one a default echo-server answers on", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    const hosts = [...help.stdout.matchAll(/--host (\S+)/g)].map((match) => match[1]);
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) expect(["127.0.0.1", "localhost"]).toContain(host);
  });
});

test("--version is the package's", async () => {
  const run = await runCli(["--version"]);
  expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
});

describe("bench with no server", () => {
  test("says the server could not be reached (one line, exit 1), not that the generator is busy", async () => {
    const port = await freePort();
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(port), "--connections", "3", "--duration", "1s"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`echo-client: no connection could be opened (0 of 3): connection refused by 127.0.0.1:${port}: is an echo server running there?\n`);
    expect(run.stdout).not.toContain("generator");
  });

  test("a run that measured nothing does not blame the generator's CPU", () => {
    const nothing: BenchResult = {
      mode: "pingpong", connections: 2, connected: 2, size: 64, durationS: 0.3, messages: 0, bytes: 0, messagesPerSecond: 0, megabytesPerSecond: 0,
      latency: { count: 0, min: 0, max: 0, avg: 0, mdev: 0, p50: 0, p90: 0, p99: 0 },
      errors: { connect: 0, connection: 2, mismatch: 0 },
      verified: 0,
      threads: 1,
      cpu: { seconds: 0.28, share: 0.93 },
    };
    expect(benchLines(nothing).at(-1)).toBe("generator CPU: 93% of one core");
  });
});
