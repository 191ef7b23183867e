import net from "node:net";
import { once } from "node:events";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { BIN, logLines, startDaemon, type LogLine } from "./daemon-process.js";
import { patternBytes, sendAndCollect, until } from "./round-trip.js";

const run = promisify(execFile);
const ECHO_CLIENT = join(dirname(createRequire(import.meta.url).resolve("@netlab/echo-client/package.json")), "bin", "echo-client.js");

interface VerifiedRun {
  messages: number;
  bytes: number;
  verified: number;
  errors: { connect: number; connection: number; mismatch: number };
  datagrams?: { sent: number; lost: number; late: number };
}

/** Runs `echo-client bench --verify --json` with args; resolves with its result. */
async function verifiedBench(args: string[]): Promise<VerifiedRun> {
  const { stdout } = await run(process.execPath, [ECHO_CLIENT, "bench", "--host", "127.0.0.1", "--verify", "--json", ...args], { timeout: 30_000 });
  return JSON.parse(stdout) as VerifiedRun;
}

describe("echo-server process", () => {
  test("logs one JSON `listening` line per listener and serves /metrics and /healthz", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--metrics-port", "0"], {}, "http");
    try {
      expect(logLines(handle).filter((l) => l.msg === "listening").map((l) => l.protocol)).toEqual(["tcp", "udp", "http"]);
      expect((await sendAndCollect(port("tcp"), Buffer.from("metrics please"))).toString()).toBe("metrics please");
      const base = `http://127.0.0.1:${port("http")}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('echo_server_bytes_total{protocol="tcp",direction="in"} 14');
      expect(text).toContain('echo_server_connections_total{protocol="tcp"} 1');
    } finally {
      await handle.stop();
    }
  });

  test("takes its configuration from NETLAB_ECHO_SERVER_* variables", async () => {
    const { handle, port } = await startDaemon(["--port", "0"], { NETLAB_ECHO_SERVER_MAX_CONNECTIONS: "1", NETLAB_ECHO_SERVER_UDP: "false" }, "tcp");
    try {
      const first = net.connect(port("tcp"), "127.0.0.1");
      await once(first, "connect");
      const second = net.connect(port("tcp"), "127.0.0.1");
      second.resume();
      await once(second, "end");
      await until(() => handle.output().includes('"reason":"max-connections"'));
      expect(logLines(handle).some((l) => l.protocol === "udp")).toBe(false);
      first.destroy();
      second.destroy();
    } finally {
      await handle.stop();
    }
  });

  test.each([
    [["--bogus"], /Unknown argument: --bogus/],
    [["--port", "x"], /invalid port/],
    [["--idle-timeout", "forever"], /invalid duration/],
    [["--tls-cert", "only.pem"], /tls-key/],
  ])("usage error %j: one line on stderr, exit 2", async (args, pattern) => {
    const error = (await run(process.execPath, [BIN, ...args]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(pattern);
    expect(error.stderr.trim().split("\n")).toHaveLength(1);
  });

  test.each([[[]], [["--workers", "2"]]])("a port already in use %j: one line on stderr, a fatal log line and exit 1", async (extra) => {
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    const error = (await run(process.execPath, [BIN, "--port", String(taken), ...extra], { timeout: 20_000 }).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    blocker.close();
    expect(error.code).toBe(1);
    expect(error.stdout).toContain("EADDRINUSE");
    expect(error.stderr).toBe(`echo-server: cannot listen on 127.0.0.1:${taken}: address already in use\n`);
  });

  test("SIGTERM during a transfer: every in-flight byte is echoed within the grace period, then exit 0", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--shutdown-grace", "5s"]);
    const sent = patternBytes(3 * 1024 * 1024, 3);
    const socket = net.connect({ port: port("tcp"), host: "127.0.0.1", allowHalfOpen: true });
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    await once(socket, "connect");
    // Send in pieces; the signal lands mid-transfer.
    let offset = 0;
    const piece = 64 * 1024;
    const pump = setInterval(() => {
      socket.write(sent.subarray(offset, offset + piece));
      offset += piece;
      if (offset === piece * 8) handle.child.kill("SIGTERM");
      if (offset >= sent.length) {
        clearInterval(pump);
        socket.end();
      }
    }, 5);
    await once(socket, "end");
    const exit = await handle.exited;
    expect(exit.code).toBe(0);
    expect(Buffer.concat(received).equals(sent)).toBe(true);
    expect(handle.output()).toContain('"msg":"shutting down"');
    socket.destroy();
  });

  test("a client that outlives the grace period is cut and the process still exits 0; a second signal exits at once", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--shutdown-grace", "300ms"]);
    const stubborn = net.connect(port("tcp"), "127.0.0.1");
    stubborn.on("error", () => undefined);
    await once(stubborn, "connect");
    const started = Date.now();
    handle.child.kill("SIGTERM");
    expect((await handle.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    stubborn.destroy();

    const second = await startDaemon(["--port", "0", "--shutdown-grace", "30s"]);
    const held = net.connect(second.port("tcp"), "127.0.0.1");
    held.on("error", () => undefined);
    await once(held, "connect");
    second.handle.child.kill("SIGTERM");
    await until(() => second.handle.output().includes("shutting down"));
    second.handle.child.kill("SIGTERM");
    expect((await second.handle.exited).code).toBe(1);
    held.destroy();
  });

  test("under load from `echo-client bench --verify` on two workers, every echoed byte is the one sent", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--workers", "2", "--no-udp"], {}, "tcp");
    try {
      const bench = (...args: string[]): Promise<VerifiedRun> => verifiedBench(["--port", String(port("tcp")), "--duration", "1s", ...args]);
      const pingpong = await bench("--connections", "20", "--size", "100");
      expect(pingpong.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
      expect(pingpong.messages).toBeGreaterThan(1000);
      expect(pingpong.verified).toBeGreaterThanOrEqual(pingpong.bytes);
      const stream = await bench("--mode", "stream", "--connections", "4", "--size", "65536");
      expect(stream.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
      expect(stream.bytes).toBeGreaterThan(10 * 2 ** 20);
      expect(stream.verified).toBe(stream.bytes);
    } finally {
      const exit = await handle.stop();
      expect(exit.code).toBe(0);
    }
  });

  test("UDP under `echo-client bench --udp --verify`: nothing lost without a rate limit; with one, the client's losses are the server's drops", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--udp-rate", "0", "--metrics-port", "0"], {}, "http");
    try {
      const free = await verifiedBench(["--udp", "--port", String(port("udp")), "--connections", "10", "--duration", "1s", "--size", "512"]);
      expect(free.errors).toEqual({ connect: 0, connection: 0, mismatch: 0 });
      expect(free.messages).toBeGreaterThan(1000);
      expect(free.datagrams).toMatchObject({ lost: 0, late: 0 });
      expect(free.verified).toBe(free.messages * 512);
    } finally {
      expect((await handle.stop()).code).toBe(0);
    }
    const limited = await startDaemon(["--port", "0", "--udp-rate", "200", "--udp-burst", "50", "--metrics-port", "0"], {}, "http");
    try {
      const result = await verifiedBench(["--udp", "--port", String(limited.port("udp")), "--connections", "5", "--duration", "1s", "--timeout", "50ms"]);
      // About 200/s (plus the burst) come back; the rest are dropped by the server and time out here.
      expect(result.messages).toBeGreaterThan(150);
      expect(result.messages).toBeLessThan(400);
      expect(result.errors.mismatch).toBe(0);
      const metrics = await (await fetch(`http://127.0.0.1:${limited.port("http")}/metrics`)).text();
      const dropped = Number(/echo_server_dropped_total\{protocol="udp",reason="rate-limit"\} (\d+)/.exec(metrics)?.[1]);
      // Every drop is a loss; a datagram dropped in the last 50 ms of the run was still awaited at the end.
      expect(result.datagrams?.lost).toBeGreaterThan(10);
      expect(dropped - (result.datagrams?.lost ?? 0)).toBeGreaterThanOrEqual(0);
      expect(dropped - (result.datagrams?.lost ?? 0)).toBeLessThanOrEqual(5);
    } finally {
      expect((await limited.handle.stop()).code).toBe(0);
    }
  });

  test("idle without --metrics-port, the process sleeps; with it, the event-loop sampler wakes it every 10 ms", async () => {
    // Voluntary context switches of the main thread: one per wake-up from epoll.
    const wakeups = async (pid: number): Promise<number> => {
      const read = (): number => Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
      const before = read();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return read() - before;
    };
    const quiet = await startDaemon(["--port", "0", "--no-udp"], {}, "tcp");
    try {
      expect(await wakeups(quiet.handle.pid ?? 0)).toBeLessThan(20);
    } finally {
      await quiet.handle.stop();
    }
    const scraped = await startDaemon(["--port", "0", "--no-udp", "--metrics-port", "0"], {}, "http");
    try {
      expect(await wakeups(scraped.handle.pid ?? 0)).toBeGreaterThan(50);
    } finally {
      await scraped.handle.stop();
    }
  });

  test("--workers 2: a killed worker is restarted, the other worker's clients are unaffected, metrics are summed", async () => {
    const { handle, port } = await startDaemon(["--port", "0", "--workers", "2", "--no-udp", "--shutdown-grace", "1s", "--metrics-port", "0"], {}, "tcp");
    const clients: net.Socket[] = [];
    try {
      const tcpListening = (): LogLine[] => logLines(handle).filter((l) => l.msg === "listening" && l.protocol === "tcp");
      await until(() => tcpListening().length === 2, 10_000, "two workers listening");
      const workerPids = [...new Set(tcpListening().map((l) => l.pid))];
      expect(workerPids).toHaveLength(2);
      const tcpPort = port("tcp");
      for (let i = 0; i < 6; i++) {
        const socket = net.connect({ port: tcpPort, host: "127.0.0.1" });
        socket.on("error", () => undefined);
        clients.push(socket);
        // Served (handed to a worker and echoing) before the kill.
        socket.write("hi");
        await once(socket, "data");
      }
      const summed = await (await fetch(`http://127.0.0.1:${port("http")}/metrics`)).text();
      expect(summed).toContain('echo_server_connections_total{protocol="tcp"} 6');
      process.kill(workerPids[0] ?? 0, "SIGKILL");
      await until(() => handle.output().includes("worker died; restarting"), 10_000, "the restart log line");
      await until(() => tcpListening().length === 3, 10_000, "the new worker listening");
      // Connections of the dead worker are gone; every other one still echoes.
      const results = await Promise.all(
        clients.map(
          (socket, i) =>
            new Promise<string>((resolve) => {
              if (socket.destroyed || socket.readableEnded) return resolve("closed");
              socket.once("data", (chunk: Buffer) => resolve(chunk.toString()));
              socket.once("close", () => resolve("closed"));
              socket.write(`client ${i}`);
              setTimeout(() => resolve("silent"), 2000);
            }),
        ),
      );
      const alive = results.filter((r) => r.startsWith("client"));
      expect(alive.length).toBeGreaterThan(0);
      expect(results.filter((r) => r === "silent")).toEqual([]);
      for (const [i, r] of results.entries()) if (r !== "closed") expect(r).toBe(`client ${i}`);
      expect((await sendAndCollect(tcpPort, Buffer.from("after restart"))).toString()).toBe("after restart");
    } finally {
      for (const socket of clients) socket.destroy();
      const exit = await handle.stop();
      expect(exit.code).toBe(0);
    }
  });
});
