import net from "node:net";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { expect, test } from "vitest";
import { echoOnce } from "../src/index.js";

test("reads the whole echo even when it arrives in 16-byte pieces", async () => {
  const server = net.createServer((socket) => {
    socket.on("data", (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i += 16) socket.write(chunk.subarray(i, i + 16));
    });
    socket.on("error", () => socket.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const message = "Test message: SDN course examples";
    expect(await echoOnce({ host: "127.0.0.1", port, message })).toBe(message);
  } finally {
    server.close();
  }
});
