import net from "node:net";
import { once } from "node:events";
import { expect, test } from "vitest";
import { ConnectionTracker } from "../src/index.js";

async function serverWithTracker() {
  const tracker = new ConnectionTracker<net.Socket>();
  const server = net.createServer((socket) => {
    socket.on("error", () => undefined);
    tracker.add(socket);
    socket.on("data", (chunk) => {
      if (chunk.toString() === "bye") socket.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as net.AddressInfo).port;
  return { tracker, server, port };
}

test("drain waits for connections that finish within the grace period and destroys the rest", async () => {
  const { tracker, server, port } = await serverWithTracker();
  const polite = net.connect(port, "127.0.0.1");
  const stubborn = net.connect(port, "127.0.0.1");
  stubborn.on("error", () => undefined);
  await Promise.all([once(polite, "connect"), once(stubborn, "connect")]);
  while (tracker.size < 2) await new Promise((r) => setTimeout(r, 5));
  server.close();
  setTimeout(() => polite.write("bye"), 50);
  polite.on("end", () => polite.end());
  const started = Date.now();
  const result = await tracker.drain(400);
  expect(result).toEqual({ finished: 1, destroyed: 1 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  await once(stubborn, "close");
  await new Promise((r) => setImmediate(r));
  expect(tracker.size).toBe(0);
});

test("drain returns at once when nothing is open", async () => {
  const tracker = new ConnectionTracker();
  const started = Date.now();
  expect(await tracker.drain(5000)).toEqual({ finished: 0, destroyed: 0 });
  expect(Date.now() - started).toBeLessThan(100);
});
