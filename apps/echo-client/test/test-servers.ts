import net from "node:net";
import { once } from "node:events";

export type Misbehaviour = "echo" | "corrupt" | "silent" | "reset" | "short" | "lossy" | "crossed";

/** A TCP server on loopback that echoes, or misbehaves in one chosen way, for client tests. */
export async function startTestServer(kind: Misbehaviour, host = "127.0.0.1"): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let chunks = 0;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on("end", () => socket.end());
    socket.on("data", (chunk: Buffer) => {
      if (kind === "echo") socket.write(chunk);
      else if (kind === "corrupt") socket.write(Buffer.from(chunk.map((b) => b ^ 0x20)));
      else if (kind === "reset") socket.resetAndDestroy();
      else if (kind === "short") socket.end(chunk.subarray(0, Math.floor(chunk.length / 2)));
      // Every 50th chunk is lost: the bytes after it arrive early.
      else if (kind === "lossy") {
        if (++chunks % 50 !== 0) socket.write(chunk);
      }
      // Each connection's bytes go back on another connection (the newest other one).
      else if (kind === "crossed") [...sockets].reverse().find((other) => other !== socket)?.write(chunk);
    });
  });
  server.listen(0, host);
  await once(server, "listening");
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
