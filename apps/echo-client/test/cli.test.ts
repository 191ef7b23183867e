import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import tls from "node:tls";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findProgram, freePort, selfSignedCert, startProcess, type ProcessHandle, type SelfSignedCert } from "@netlab/test-kit";
import type { BenchResult } from "../src/index.js";
import { runCli } from "./run-cli.js";
import { startTestServer } from "./test-servers.js";

const socat = findProgram("socat", "socat");
const openssl = findProgram("openssl", "openssl");

describe.skipIf(socat.skip)("against socat echo servers (TCP and UDP PIPE)", () => {
  let tcp: ProcessHandle;
  let udp: ProcessHandle;
  let port: number;
  let udpPort: number;
  beforeAll(async () => {
    port = await freePort();
    tcp = await startProcess("socat", [`TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr,backlog=128`, "PIPE"], { ready: port });
    udpPort = await freePort("127.0.0.1");
    udp = await startProcess("socat", [`UDP4-RECVFROM:${udpPort},bind=127.0.0.1,fork`, "PIPE"]);
  });
  afterAll(async () => {
    await tcp.stop();
    await udp.stop();
  });

  test("the lab's run: connect, send, receive and close steps, the default message, exit 0", async () => {
    const run = await runCli(["--host", "127.0.0.1", "--port", String(port)]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Connecting to 127.0.0.1:${port} over TCP...`);
    expect(lines[1]).toMatch(new RegExp(`^Connected to 127\\.0\\.0\\.1:${port} from 127\\.0\\.0\\.1:\\d+ in [\\d.]+ ms$`));
    expect(lines[2]).toBe('Sent 33 bytes: "Test message: SDN course examples"');
    expect(lines[3]).toMatch(/^Received 33 bytes in [\d.]+ ms: "Test message: SDN course examples"$/);
    expect(lines.slice(4)).toEqual(["Closed", "Echo matches what was sent"]);
  });

  test("--count and --interval: ping-style lines and a summary with min/avg/max/mdev and percentiles", async () => {
    const run = await runCli(["hello", "--host", "127.0.0.1", "--port", String(port), "--count", "4", "--interval", "20ms"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/5 bytes from 127\.0\.0\.1:\d+: seq=4 time=[\d.]+ ms/);
    expect(run.stdout).toContain("4 sent, 4 received, 0 mismatched, 0.0% loss");
    expect(run.stdout).toMatch(/rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/);
    expect(run.stdout).toMatch(/rtt p50\/p90\/p99 = [\d.]+\/[\d.]+\/[\d.]+ ms/);
  });

  test("--json prints one object", async () => {
    const run = await runCli(["abc", "--host", "127.0.0.1", "--port", String(port), "--json"]);
    const result = JSON.parse(run.stdout) as { ok: boolean; echo: string; sent: number; rtt: { count: number } };
    expect(result).toMatchObject({ ok: true, echo: "abc", sent: 1, rtt: { count: 1 } });
  });

  test("pipe mode: 3 MiB of stdin comes back on stdout byte for byte", async () => {
    const input = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < input.length; i++) input[i] = (i * 7 + (i >> 13)) & 0xff;
    const run = await runCli(["-", "--host", "127.0.0.1", "--port", String(port)], { stdin: input });
    expect(run.code).toBe(0);
    expect(createHash("sha256").update(run.stdoutBytes).digest("hex")).toBe(createHash("sha256").update(input).digest("hex"));
    expect(run.stderr).toBe("");
  });

  test("bench --verify: socat echoes every byte of four streams intact", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(port), "--mode", "stream", "--size", "16384", "--connections", "4", "--duration", "500ms", "--verify", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as BenchResult;
    expect(result.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    expect(result.bytes).toBeGreaterThan(1024 * 1024);
    expect(result.verified).toBe(result.bytes);
  });

  test("--udp with --count against socat's UDP echo", async () => {
    const run = await runCli(["over udp", "--udp", "--host", "127.0.0.1", "--port", String(udpPort), "--count", "3", "--interval", "10ms"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("3 sent, 3 received, 0 mismatched, 0.0% loss");
  });

  test("bench --udp --verify against socat's UDP echo (a process forked per datagram)", async () => {
    const run = await runCli(["bench", "--udp", "--host", "127.0.0.1", "--port", String(udpPort), "--connections", "4", "--duration", "500ms", "--size", "200", "--verify", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as BenchResult;
    expect(result.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    expect(result.messages).toBeGreaterThan(20);
    expect(result.datagrams).toMatchObject({ lost: 0, late: 0 });
    expect(result.verified).toBe(result.messages * 200);
  });

  // socat's PIPE children can block for good once a stream stops being read (their pipe fills):
  // stopping the server must not leave them behind (test-kit kills what the process started).
  test("stopping socat leaves none of its forked children behind", async () => {
    await tcp.stop();
    const left = (): string[] =>
      readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`TCP-LISTEN:${port},`);
          } catch {
            return false;
          }
        });
    // A killed process takes a moment to go.
    for (let waited = 0; left().length > 0 && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(left()).toEqual([]);
  });
});

describe("failures: one line on stderr, exit 1", () => {
  test("an echo that differs", async () => {
    const server = await startTestServer("corrupt");
    try {
      const run = await runCli(["abc", "--host", "127.0.0.1", "--port", String(server.port)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Echo DIFFERS from what was sent");
    } finally {
      await server.close();
    }
  });

  test("connection refused", async () => {
    const port = await freePort();
    const run = await runCli(["--host", "127.0.0.1", "--port", String(port)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`echo-client: connection refused by 127.0.0.1:${port}: is an echo server running there?\n`);
  });

  test("connection reset", async () => {
    const server = await startTestServer("reset");
    try {
      const run = await runCli(["--host", "127.0.0.1", "--port", String(server.port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`echo-client: connection reset by 127.0.0.1:${server.port}\n`);
    } finally {
      await server.close();
    }
  });

  test("read deadline", async () => {
    const server = await startTestServer("silent");
    try {
      const run = await runCli(["--host", "127.0.0.1", "--port", String(server.port), "--timeout", "300ms"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^echo-client: no full echo from 127\.0\.0\.1:\d+ within 300 ms \(got 0 of 33 bytes\)\n$/);
    } finally {
      await server.close();
    }
  });

  test.each([
    [["--bogus"], /Unknown argument/],
    [["--udp", "--tls"], /cannot be used together/],
    [["bench", "--mode", "burst"], /Invalid values/],
    [["--timeout", "soon"], /invalid duration/],
  ])("usage error %j: exit 2", async (args, pattern) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a reader that goes away", () => {
  test("stdout closed after the first line (| head -1): exit 0, no stack trace", async () => {
    const server = await startTestServer("echo");
    try {
      const { spawn } = await import("node:child_process");
      const bin = new URL("../bin/echo-client.js", import.meta.url).pathname;
      const child = spawn(process.execPath, [bin, "--host", "127.0.0.1", "--port", String(server.port), "--count", "40", "--interval", "20ms"], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // Like head -1: read the first line, then close the pipe while the client still has lines to write.
      await once(child.stdout, "data");
      child.stdout.destroy();
      const [code] = (await once(child, "close")) as [number | null];
      expect(stderr).toBe("");
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("IPv6", () => {
  test("--host ::1", async () => {
    const server = await startTestServer("echo", "::1");
    try {
      const run = await runCli(["six", "--host", "::1", "--port", String(server.port)]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Connecting to [::1]:${server.port} over TCP...`);
      expect(run.stdout).toContain("Echo matches what was sent");
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(openssl.skip)("TLS", () => {
  let cert: SelfSignedCert;
  let server: tls.Server;
  let port: number;
  beforeAll(async () => {
    cert = selfSignedCert();
    server = tls.createServer({ cert: cert.cert, key: cert.key }, (socket) => {
      socket.on("error", () => undefined);
      socket.pipe(socket);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.close();
    cert.remove();
  });

  test("a self-signed certificate is refused by default with a TLS message", async () => {
    const run = await runCli(["--tls", "--host", "127.0.0.1", "--port", String(port)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^echo-client: TLS failed with 127\.0\.0\.1:\d+: self[- ]signed certificate/);
  });

  test.each([[["--insecure"]], [["--ca", "CA"]]])("accepted with %j", async (extra) => {
    const args = extra.map((a) => (a === "CA" ? cert.certPath : a));
    const run = await runCli(["secret", "--tls", "--host", "127.0.0.1", "--port", String(port), ...args]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("over TLS");
  });

  test("bench over TLS counts echoes from data events (TLS sockets take no onread buffer)", async () => {
    const run = await runCli(["bench", "--tls", "--insecure", "--host", "127.0.0.1", "--port", String(port), "--connections", "2", "--duration", "400ms", "--size", "100", "--verify", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as BenchResult;
    // Checked from the TLS chunks too.
    expect(result.errors.mismatch).toBe(0);
    expect(result.verified).toBeGreaterThanOrEqual(result.bytes);
    expect(result.connected).toBe(2);
    expect(result.messages).toBeGreaterThan(0);
    expect(result.bytes).toBe(result.messages * 100);
    expect(result.latency.count).toBe(result.messages);
  });
});
