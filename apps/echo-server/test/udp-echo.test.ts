import dgram from "node:dgram";
import { once } from "node:events";
import { afterEach, expect, test } from "vitest";
import { createDaemonMetrics } from "@netlab/daemon";
import { freePort } from "@netlab/test-kit";
import { createEchoServer, DEFAULT_BLOCKED_SOURCE_PORTS, type EchoServer } from "../src/index.js";

let server: EchoServer | undefined;
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

async function client(type: "udp4" | "udp6" = "udp4", port = 0): Promise<dgram.Socket> {
  const socket = dgram.createSocket(type);
  sockets.push(socket);
  socket.bind(port, type === "udp4" ? "127.0.0.1" : "::1");
  await once(socket, "listening");
  return socket;
}

/** Datagrams received within ms. */
async function collect(socket: dgram.Socket, ms: number): Promise<Buffer[]> {
  const got: Buffer[] = [];
  const onMessage = (message: Buffer): void => {
    got.push(message);
  };
  socket.on("message", onMessage);
  await new Promise((r) => setTimeout(r, ms));
  socket.off("message", onMessage);
  return got;
}

test.each([
  ["127.0.0.1", "udp4"],
  ["::1", "udp6"],
] as const)("each datagram goes back to its sender unchanged on %s", async (host, type) => {
  server = createEchoServer({ host, port: 0, tcp: false });
  const [udp] = await server.listen();
  expect(udp?.protocol).toBe("udp");
  const socket = await client(type);
  const payloads = [Buffer.from("one"), Buffer.from([0, 255, 1, 254]), Buffer.alloc(1400, 9)];
  const replies = collect(socket, 300);
  for (const p of payloads) socket.send(p, udp?.port ?? 0, host);
  expect((await replies).map((b) => b.toString("hex")).sort()).toEqual(payloads.map((b) => b.toString("hex")).sort());
});

test("UDP shares the TCP port number by default", async () => {
  server = createEchoServer({ port: 0 });
  const listeners = await server.listen();
  expect(listeners.map((l) => l.protocol)).toEqual(["tcp", "udp"]);
  expect(listeners[0]?.port).toBe(listeners[1]?.port);
});

test("datagrams from blocked source ports (echo loops, reflection) are dropped and counted", async () => {
  expect(DEFAULT_BLOCKED_SOURCE_PORTS).toEqual(expect.arrayContaining([7, 13, 19, 37, 123]));
  const looping = await freePort("127.0.0.1");
  const metrics = createDaemonMetrics({ prefix: "t", defaultMetrics: false });
  server = createEchoServer({ port: 0, tcp: false, blockedSourcePorts: [looping], metrics });
  const [udp] = await server.listen();
  const blocked = await client("udp4", looping);
  const normal = await client("udp4");
  const blockedReplies = collect(blocked, 300);
  const normalReplies = collect(normal, 300);
  blocked.send("loop?", udp?.port ?? 0, "127.0.0.1");
  normal.send("fine", udp?.port ?? 0, "127.0.0.1");
  expect(await blockedReplies).toEqual([]);
  expect((await normalReplies).map(String)).toEqual(["fine"]);
  expect(await metrics.registry.getSingleMetricAsString("t_dropped_total")).toContain('t_dropped_total{protocol="udp",reason="loop-port"} 1');
});

test("a flood from one source is cut to the per-source rate; drops are counted and emitted", async () => {
  const metrics = createDaemonMetrics({ prefix: "t", defaultMetrics: false });
  server = createEchoServer({ port: 0, tcp: false, udpRatePerSecond: 10, udpBurst: 5, metrics });
  const drops: string[] = [];
  server.on("dropped", (event) => drops.push(event.reason));
  const [udp] = await server.listen();
  const socket = await client();
  const replies = collect(socket, 400);
  for (let i = 0; i < 50; i++) socket.send(`m${i}`, udp?.port ?? 0, "127.0.0.1");
  const got = await replies;
  // Burst of 5, plus at most a few refilled tokens at 10/s during the run.
  expect(got.length).toBeGreaterThanOrEqual(5);
  expect(got.length).toBeLessThanOrEqual(10);
  expect(drops.length).toBe(50 - got.length);
  expect(await metrics.registry.getSingleMetricAsString("t_dropped_total")).toContain(`reason="rate-limit"} ${50 - got.length}`);
});
