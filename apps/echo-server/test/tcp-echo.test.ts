import dgram from "node:dgram";
import net from "node:net";
import { once } from "node:events";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { createDaemonMetrics } from "@netlab/daemon";
import { createEchoServer, type EchoServer } from "../src/index.js";
import { patternBytes, sendAndCollect, until } from "./round-trip.js";

let server: EchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof createEchoServer>[0] = {}): Promise<number> {
  server = createEchoServer({ port: 0, udp: false, ...options });
  const [tcp] = await server.listen();
  return tcp?.port ?? 0;
}

describe("TCP echo", () => {
  test("echoes every byte of a 4 MiB stream and ends after the client half-closes", async () => {
    const port = await start();
    const sent = patternBytes(4 * 1024 * 1024);
    expect((await sendAndCollect(port, sent)).equals(sent)).toBe(true);
  });

  test("echoes over IPv6 loopback", async () => {
    const port = await start({ host: "::1" });
    expect(server?.address().tcp?.family).toBe("IPv6");
    expect((await sendAndCollect(port, Buffer.from("six"), "::1")).toString()).toBe("six");
  });

  test("echoes arbitrary bytes (garbage, NULs, partial UTF-8) unchanged", async () => {
    const port = await start();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 20_000 }), async (bytes) => {
        const sent = Buffer.from(bytes);
        expect((await sendAndCollect(port, sent)).equals(sent)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  test("a client that never reads cannot make the server buffer without bound", async () => {
    const metrics = createDaemonMetrics({ prefix: "t", defaultMetrics: false });
    const port = await start({ metrics });
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.on("error", () => undefined);
    await once(socket, "connect");
    socket.pause();
    const chunk = Buffer.alloc(64 * 1024, 7);
    let offered = 0;
    // Offer 24 MiB: the server must stop reading long before, leaving most of it queued here.
    while (offered < 24 * 1024 * 1024) {
      socket.write(chunk);
      offered += chunk.length;
    }
    await new Promise((r) => setTimeout(r, 500));
    const metric = await metrics.registry.getSingleMetric("t_bytes_total")?.get();
    const bytesIn = metric?.values.find((v) => v.labels.direction === "in")?.value ?? 0;
    // Only what fits in kernel buffers plus one high-water mark got in; the rest waits in the client.
    expect(bytesIn).toBeGreaterThan(0);
    expect(bytesIn).toBeLessThan(16 * 1024 * 1024);
    expect(socket.writableLength).toBeGreaterThan(8 * 1024 * 1024);
    socket.destroy();
  });

  test("a client reset mid-stream does not disturb the server or other clients", async () => {
    const port = await start();
    const victim = net.connect({ port, host: "127.0.0.1" });
    victim.on("error", () => undefined);
    await once(victim, "connect");
    victim.write(patternBytes(256 * 1024));
    victim.resetAndDestroy();
    await until(() => server?.connections === 0, 5000, "the reset connection to be released");
    expect((await sendAndCollect(port, Buffer.from("still here"))).toString()).toBe("still here");
  });
});

describe("limits", () => {
  test("past max-connections a client is closed cleanly (FIN, no data), counted, and others still served", async () => {
    const metrics = createDaemonMetrics({ prefix: "t", defaultMetrics: false });
    const port = await start({ maxConnections: 2, metrics });
    const held = [net.connect(port, "127.0.0.1"), net.connect(port, "127.0.0.1")];
    await Promise.all(held.map((s) => once(s, "connect")));
    await until(() => server?.connections === 2);
    const refused = net.connect({ port, host: "127.0.0.1" });
    const refusedErrors: Error[] = [];
    refused.on("error", (error) => refusedErrors.push(error));
    refused.resume();
    await once(refused, "end");
    expect(refusedErrors).toEqual([]);
    refused.destroy();
    expect(await metrics.registry.getSingleMetricAsString("t_connections_refused_total")).toContain('reason="max-connections"} 1');
    held[0]?.write("ok");
    const [echo] = (await once(held[0] as net.Socket, "data")) as [Buffer];
    expect(echo.toString()).toBe("ok");
    for (const s of held) s.destroy();
  });

  test("1,000 idle clients past a limit of 100: 100 held, 900 refused and closed, the server stays healthy", async () => {
    const refusals: string[] = [];
    const port = await start({ maxConnections: 100, maxPerAddress: 0, idleTimeoutMs: 0 });
    server?.on("refused", (event) => refusals.push(event.reason));
    const clients: net.Socket[] = [];
    let ended = 0;
    for (let i = 0; i < 1000; i++) {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.on("error", () => undefined);
      socket.on("end", () => ended++);
      socket.resume();
      clients.push(socket);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
    }
    try {
      await until(() => ended === 900, 15_000, "900 refused clients to be closed");
      expect(server?.connections).toBe(100);
      expect(refusals.length).toBe(900);
      expect(new Set(refusals)).toEqual(new Set(["max-connections"]));
    } finally {
      for (const socket of clients) socket.destroy();
    }
    await until(() => server?.connections === 0, 5000, "all connections released");
    expect((await sendAndCollect(port, Buffer.from("alive"))).toString()).toBe("alive");
  });

  test("max-per-address refuses the third connection from one address", async () => {
    const port = await start({ maxPerAddress: 2 });
    const reasons: string[] = [];
    server?.on("refused", (event) => reasons.push(event.reason));
    const sockets = [0, 1, 2].map(() => net.connect(port, "127.0.0.1").on("error", () => undefined));
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(["max-per-address"]);
    expect(server?.connections).toBe(2);
    for (const s of sockets) s.destroy();
  });

  test("an idle connection is closed after the idle timeout, an active one is not", async () => {
    const port = await start({ idleTimeoutMs: 800 });
    const closed: (string | undefined)[] = [];
    server?.on("closed", (event) => closed.push(event.reason));
    const idle = net.connect(port, "127.0.0.1");
    const active = net.connect(port, "127.0.0.1");
    active.on("data", () => undefined);
    // Traffic every 300 ms: rarer than the idle checks (every 200 ms), so a missed mark would show.
    const ticker = setInterval(() => active.write("."), 300);
    const opened = performance.now();
    await once(idle, "close");
    const quietMs = performance.now() - opened;
    await until(() => closed.length > 0);
    expect(closed).toEqual(["idle-timeout"]);
    // Closed after 800 ms of silence, and not much later (the checks run every quarter of it).
    expect(quietMs).toBeGreaterThanOrEqual(790);
    expect(quietMs).toBeLessThan(800 * 1.25 + 400);
    await new Promise((r) => setTimeout(r, 1200));
    expect(closed).toEqual(["idle-timeout"]);
    expect(active.destroyed).toBe(false);
    clearInterval(ticker);
    active.destroy();
  });

  test("max-bytes echoes exactly that many bytes, then closes", async () => {
    const port = await start({ maxBytes: 1000 });
    const closed: (string | undefined)[] = [];
    server?.on("closed", (event) => closed.push(event.reason));
    const echo = await sendAndCollect(port, patternBytes(5000));
    expect(echo.equals(patternBytes(5000).subarray(0, 1000))).toBe(true);
    await until(() => closed.length === 1);
    expect(closed).toEqual(["max-bytes"]);
  });
});

describe("listen", () => {
  test("a listener that cannot bind rejects listen() and closes the ones already open", async () => {
    const blocker = dgram.createSocket("udp4");
    blocker.bind(0, "127.0.0.1");
    await once(blocker, "listening");
    const failing = createEchoServer({ port: 0, udpPort: blocker.address().port });
    try {
      await expect(failing.listen()).rejects.toThrow(/EADDRINUSE/);
      expect(failing.address()).toEqual({});
    } finally {
      blocker.close();
    }
  });
});

describe("close", () => {
  test("close({ graceMs }) lets an in-flight transfer finish, then cuts a stubborn client", async () => {
    const port = await start();
    const finishing = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const stubborn = net.connect({ port, host: "127.0.0.1" });
    stubborn.on("error", () => undefined);
    const stubbornClosed = once(stubborn, "close");
    const received: Buffer[] = [];
    finishing.on("data", (chunk: Buffer) => received.push(chunk));
    await Promise.all([once(finishing, "connect"), once(stubborn, "connect")]);
    finishing.write("part one ");
    await until(() => server?.connections === 2);
    const closing = server?.close({ graceMs: 1500 });
    setTimeout(() => finishing.end("part two"), 200);
    await closing;
    expect(Buffer.concat(received).toString()).toBe("part one part two");
    await stubbornClosed;
    // New connections are refused once closing started.
    const late = net.connect(port, "127.0.0.1");
    const [error] = (await once(late, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ECONNREFUSED");
    server = undefined;
  });
});
