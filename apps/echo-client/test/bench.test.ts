import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBench, type BenchResult, type EchoTarget } from "../src/index.js";
import { benchLines } from "../src/report.js";
import { runCli } from "./run-cli.js";
import { startTestServer, startUdpTestServer, type DatagramMisbehaviour } from "./test-servers.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let target: EchoTarget;
beforeAll(async () => {
  server = await startTestServer("echo");
  target = { host: "127.0.0.1", port: server.port, transport: "tcp", timeoutMs: 2000 };
});
afterAll(() => server.close());

describe("runBench", () => {
  test("ping-pong: every connection opened, messages echoed, a latency sample per message", async () => {
    const ticks: number[] = [];
    const result = await runBench({ target, connections: 10, durationMs: 600, size: 64, rate: 0, mode: "pingpong", tickMs: 100, onTick: (s) => ticks.push(s.messages) });
    expect(result.connected).toBe(10);
    expect(result.messages).toBeGreaterThan(100);
    expect(result.bytes).toBe(result.messages * 64);
    expect(result.latency.count).toBe(result.messages);
    expect(result.messagesPerSecond).toBeCloseTo(result.messages / result.durationS, 5);
    expect(result.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    // Nothing checked without verify.
    expect(result.verified).toBe(0);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    // Its own CPU time over the window (this test's server runs in the same process, so it is busy).
    expect(result.cpu.seconds).toBeGreaterThan(0.01);
    expect(result.cpu.share).toBeCloseTo(result.cpu.seconds / result.durationS, 5);
  });

  test("--rate holds the total message rate", async () => {
    const result = await runBench({ target, connections: 5, durationMs: 1000, size: 16, rate: 100, mode: "pingpong" });
    expect(result.messages).toBeGreaterThanOrEqual(50);
    expect(result.messages).toBeLessThanOrEqual(110);
  });

  test("stream: bulk bytes flow back", async () => {
    const result = await runBench({ target, connections: 2, durationMs: 500, size: 16 * 1024, rate: 0, mode: "stream" });
    expect(result.bytes).toBeGreaterThan(1024 * 1024);
    expect(result.latency.count).toBe(0);
  });

  test("connections that cannot open are counted as errors, not thrown", async () => {
    const closed = await startTestServer("echo");
    await closed.close();
    const result = await runBench({ target: { ...target, port: closed.port }, connections: 3, durationMs: 100, size: 8, rate: 0, mode: "pingpong" });
    expect(result.connected).toBe(0);
    expect(result.errors.connect).toBe(3);
    expect(result.errors.firstError).toMatch(/connection refused/);
  });
});

describe("runBench with verify: every echoed byte checked", () => {
  const misbehaving = async (kind: Parameters<typeof startTestServer>[0], run: (t: EchoTarget) => Promise<BenchResult>): Promise<BenchResult> => {
    const bad = await startTestServer(kind);
    try {
      return await run({ ...target, port: bad.port });
    } finally {
      await bad.close();
    }
  };

  test("a faithful echo: ping-pong and stream pass, and every received byte was checked", async () => {
    const pingpong = await runBench({ target, connections: 4, durationMs: 400, size: 100, rate: 0, mode: "pingpong", verify: true });
    expect(pingpong.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    expect(pingpong.messages).toBeGreaterThan(50);
    // Whole messages plus at most a part of one per connection.
    expect(pingpong.verified).toBeGreaterThanOrEqual(pingpong.bytes);
    expect(pingpong.verified).toBeLessThan(pingpong.bytes + 4 * 100);
    const stream = await runBench({ target, connections: 2, durationMs: 400, size: 10_000, rate: 0, mode: "stream", verify: true });
    expect(stream.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    expect(stream.bytes).toBeGreaterThan(1024 * 1024);
    expect(stream.verified).toBe(stream.bytes);
  });

  test("changed bytes: each connection counted once, with where it first differed", async () => {
    const result = await misbehaving("corrupt", (t) => runBench({ target: t, connections: 3, durationMs: 300, size: 64, rate: 0, mode: "pingpong", verify: true }));
    expect(result.errors.mismatch).toBe(3);
    expect(result.errors.firstError).toMatch(/^connection [123]: echo differs from what was sent at byte 0$/);
    expect(result.verified).toBe(0);
  });

  test("a lost chunk: the stream is caught out where the bytes after it arrive early", async () => {
    const result = await misbehaving("lossy", (t) => runBench({ target: t, connections: 1, durationMs: 400, size: 4096, rate: 0, mode: "stream", verify: true }));
    expect(result.errors.mismatch).toBe(1);
    const at = Number(/at byte ([\d,]+)$/.exec(result.errors.firstError ?? "")?.[1]?.replaceAll(",", ""));
    // The bytes before the gap came back whole: checked up to the read that held the gap, none after it.
    expect(at).toBeGreaterThan(0);
    expect(result.verified).toBeLessThanOrEqual(at);
    expect(result.verified).toBeGreaterThan(at - 64 * 1024);
  });

  test("bytes echoed on the wrong connection are caught, though none is changed", async () => {
    const result = await misbehaving("crossed", (t) => runBench({ target: t, connections: 2, durationMs: 300, size: 64, rate: 0, mode: "pingpong", verify: true }));
    expect(result.messages).toBeGreaterThan(0);
    expect(result.errors.mismatch).toBe(2);
    expect(result.errors.firstError).toMatch(/echo differs from what was sent at byte 0$/);
  });

  test("without verify the same bad echo goes unnoticed (what --verify is for)", async () => {
    const result = await misbehaving("corrupt", (t) => runBench({ target: t, connections: 2, durationMs: 200, size: 64, rate: 0, mode: "pingpong" }));
    expect(result.messages).toBeGreaterThan(0);
    expect(result.errors.mismatch).toBe(0);
  });
});

describe("runBench over UDP: one datagram in flight per flow, matched by its header", () => {
  const against = async (kind: DatagramMisbehaviour, options: Partial<Parameters<typeof runBench>[0]> & { timeoutMs?: number }): Promise<BenchResult> => {
    const udp = await startUdpTestServer(kind);
    try {
      const { timeoutMs = 2000, ...rest } = options;
      return await runBench({ target: { host: "127.0.0.1", port: udp.port, transport: "udp", timeoutMs }, connections: 4, durationMs: 500, size: 100, rate: 0, mode: "pingpong", ...rest });
    } finally {
      await udp.close();
    }
  };

  test("a faithful echo: every datagram back, checked, timed; none lost", async () => {
    const result = await against("echo", { verify: true });
    expect(result.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
    expect(result.messages).toBeGreaterThan(200);
    expect(result.datagrams).toMatchObject({ lost: 0, late: 0 });
    // Sent: those back plus at most one in flight per flow when the window closed.
    const sent = result.datagrams?.sent ?? 0;
    expect(sent - result.messages).toBeGreaterThanOrEqual(0);
    expect(sent - result.messages).toBeLessThanOrEqual(4);
    expect(result.verified).toBe(result.messages * 100);
    expect(result.latency.count).toBe(result.messages);
  });

  test("every 10th datagram dropped: about a tenth counted lost after the timeout, the flows go on", async () => {
    const result = await against("lossy", { timeoutMs: 40, durationMs: 1000 });
    const { sent = 0, lost = 0, late = -1 } = result.datagrams ?? {};
    expect(lost).toBeGreaterThan(5);
    expect(lost / sent).toBeGreaterThan(0.05);
    expect(lost / sent).toBeLessThan(0.15);
    expect(late).toBe(0);
    expect(sent - lost - result.messages).toBeLessThanOrEqual(4);
    expect(result.errors.mismatch).toBe(0);
  });

  test("an echo after the timeout is counted late, not taken for the next datagram's", async () => {
    const result = await against("late", { timeoutMs: 100, connections: 1, durationMs: 1200 });
    const { lost = 0, late = 0 } = result.datagrams ?? {};
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(late).toBeGreaterThanOrEqual(1);
    // Only a datagram given up on can come back late.
    expect(late).toBeLessThanOrEqual(lost);
    expect(result.errors.mismatch).toBe(0);
    expect(result.latency.max).toBeLessThan(100);
  });

  test("a changed body: caught with verify (per datagram), unnoticed without", async () => {
    const checked = await against("corrupt", { verify: true });
    expect(checked.errors.mismatch).toBeGreaterThan(10);
    expect(checked.errors.firstError).toMatch(/^flow [1-4]: echo of datagram \d+ differs from what was sent$/);
    // A fifth of the datagrams came back changed; the rest were good and counted.
    expect(checked.messages).toBeGreaterThan(checked.errors.mismatch * 2);
    const unchecked = await against("corrupt", {});
    expect(unchecked.errors.mismatch).toBe(0);
  });

  test("a datagram nobody sent is an error, and the flows go on", async () => {
    const result = await against("stray", {});
    expect(result.errors.mismatch).toBeGreaterThan(0);
    expect(result.errors.firstError).toMatch(/^flow [1-4]: a datagram that was never sent came back \(11 bytes\)$/);
    expect(result.datagrams?.lost).toBe(0);
    expect(result.messages).toBeGreaterThan(100);
  });

  test("sizes that cannot carry the header, and stream mode, are refused", async () => {
    await expect(against("echo", { size: 4 })).rejects.toThrow(/datagrams of 8 to 65507 bytes/);
    await expect(against("echo", { mode: "stream" })).rejects.toThrow(/no stream mode over UDP/);
  });
});

describe("benchLines", () => {
  const result: BenchResult = {
    mode: "pingpong", connections: 1, connected: 1, size: 64, durationS: 1, messages: 10, bytes: 640, messagesPerSecond: 10, megabytesPerSecond: 0,
    latency: { count: 0, min: 0, max: 0, avg: 0, mdev: 0, p50: 0, p90: 0, p99: 0 },
    errors: { connect: 0, connection: 0, mismatch: 0 },
    verified: 0,
    threads: 1,
    cpu: { seconds: 0.4, share: 0.4 },
  };
  test("a generator near a full core says it may be the limit", () => {
    expect(benchLines(result).at(-1)).toBe("generator CPU: 40% of one core");
    expect(benchLines({ ...result, cpu: { seconds: 0.95, share: 0.95 } }).at(-1)).toMatch(/^generator CPU: 95% of one core \(near a full core per thread: the generator may be what limits/);
    // With threads the share is over several cores: 150% of one core on two threads is 75% each.
    expect(benchLines({ ...result, threads: 2, cpu: { seconds: 1.5, share: 1.5 } }).at(-1)).toBe("generator CPU: 150% of one core (2 threads)");
  });
});

describe("echo-client bench", () => {
  test("--json prints the result for scripts", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(server.port), "--connections", "4", "--duration", "500ms", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { mode: string; connected: number; messages: number; latency: { p99: number } };
    expect(result).toMatchObject({ mode: "pingpong", connected: 4 });
    expect(result.messages).toBeGreaterThan(0);
    expect(result.latency.p99).toBeGreaterThan(0);
  });

  test("text output: rates, percentiles and errors", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(server.port), "--connections", "2", "--duration", "300ms", "--size", "128"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^pingpong: 2\/2 connections, 128-byte messages, [\d.]+ s\n[\d,]+ messages\/s, [\d.]+ MB\/s/);
    expect(run.stdout).toMatch(/rtt p50\/p90\/p99 = /);
    expect(run.stdout).toContain("errors: 0 connect, 0 during the run");
    expect(run.stdout).toMatch(/\ngenerator CPU: \d+% of one core/);
  });

  test("--threads 3: the connections are shared by three generator threads and their results merged", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(server.port), "--connections", "7", "--duration", "600ms", "--threads", "3", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as BenchResult;
    expect(result).toMatchObject({ mode: "pingpong", connections: 7, connected: 7, threads: 3, errors: { connect: 0, connection: 0, mismatch: 0 } });
    expect(result.messages).toBeGreaterThan(50);
    // Every round trip of every thread is in the merged histogram.
    expect(result.latency.count).toBe(result.messages);
    expect(result.bytes).toBe(result.messages * 64);
    expect(result.latency.p99).toBeGreaterThan(0);
    expect(result.cpu.seconds).toBeGreaterThan(0);
  });

  test("--threads with --rate: the threads together hold the total rate", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(server.port), "--connections", "7", "--duration", "1s", "--threads", "3", "--rate", "100", "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as BenchResult;
    expect(result.messages).toBeGreaterThanOrEqual(50);
    expect(result.messages).toBeLessThanOrEqual(115);
  });

  test("--threads must be a whole number of 1 or more (usage error)", async () => {
    const run = await runCli(["bench", "--port", String(server.port), "--threads", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('echo-client: --threads: invalid number "0": use a whole number 1 or more (see --help)\n');
  });

  test("--verify: the checked bytes are reported; threads add theirs", async () => {
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(server.port), "--connections", "4", "--duration", "400ms", "--threads", "2", "--verify"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("errors: 0 connect, 0 during the run, 0 echo mismatch\n");
    const verified = Number(/\nverified: ([\d,]+) echoed bytes equal to what was sent\n/.exec(run.stdout)?.[1]?.replaceAll(",", ""));
    expect(verified).toBeGreaterThan(64 * 100);
  });

  test("--verify against an echo that changes bytes: exit 1, and where it differed", async () => {
    const bad = await startTestServer("corrupt");
    try {
      const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(bad.port), "--connections", "2", "--duration", "200ms", "--verify"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/errors: 0 connect, 0 during the run, 2 echo mismatch \(first: connection [12]: echo differs from what was sent at byte 0\)/);
      expect(run.stderr).toBe("");
    } finally {
      await bad.close();
    }
  });

  test("--udp: datagrams sent, back, lost and late", async () => {
    const udp = await startUdpTestServer("lossy");
    try {
      const run = await runCli(["bench", "--udp", "--host", "127.0.0.1", "--port", String(udp.port), "--connections", "2", "--duration", "500ms", "--timeout", "50ms"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\ndatagrams: [\d,]+ sent, [\d,]+ back, [\d,]+ lost \(\d+\.\d\d%\), 0 late\n/);
    } finally {
      await udp.close();
    }
  });

  test("--udp with --mode stream or a size under the header: usage errors", async () => {
    const stream = await runCli(["bench", "--udp", "--port", String(server.port), "--mode", "stream"]);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toContain("--udp sends ping-pong datagrams: --mode stream is for TCP and TLS");
    const tiny = await runCli(["bench", "--udp", "--port", String(server.port), "--size", "4"]);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toContain("--udp --size must be 8 to 65507 bytes");
  });

  test("--udp to a port nobody answers on: refusals counted, datagrams lost, exit 1", async () => {
    const closed = await startUdpTestServer("echo");
    await closed.close();
    const run = await runCli(["bench", "--udp", "--host", "127.0.0.1", "--port", String(closed.port), "--connections", "2", "--duration", "300ms", "--timeout", "50ms"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\ndatagrams: [\d,]+ sent, 0 back, [1-9][\d,]* lost/);
    expect(run.stdout).toMatch(/during the run \(first: connection refused by 127\.0\.0\.1:\d+: is an echo server running there\?\)/);
  });

  test("nothing listening: one line on stderr, exit 1; --json still prints the result", async () => {
    const closed = await startTestServer("echo");
    await closed.close();
    const run = await runCli(["bench", "--host", "127.0.0.1", "--port", String(closed.port), "--connections", "2", "--duration", "100ms"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^echo-client: no connection could be opened \(0 of 2\): connection refused by 127\.0\.0\.1:\d+: is an echo server running there\?\n$/);
    const json = await runCli(["bench", "--host", "127.0.0.1", "--port", String(closed.port), "--connections", "2", "--duration", "100ms", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ connected: 0, errors: { connect: 2 } });
    expect(json.stderr.trim().split("\n")).toHaveLength(1);
  });
});
