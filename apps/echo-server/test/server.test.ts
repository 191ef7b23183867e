import net from "node:net";
import { once } from "node:events";
import { expect, test } from "vitest";
import { createEchoServer } from "../src/index.js";

test("echoes every byte of a stream and ends after the client half-closes", async () => {
  const server = createEchoServer({ port: 0 });
  const { port } = await server.listen();
  try {
    const socket = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    await once(socket, "connect");
    const sent = Buffer.alloc(256 * 1024, 0);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 31) & 0xff;
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.end(sent);
    await once(socket, "end");
    expect(Buffer.concat(received).equals(sent)).toBe(true);
    socket.destroy();
  } finally {
    await server.close();
  }
});
