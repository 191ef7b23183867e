import dgram from "node:dgram";
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

export type DatagramMisbehaviour = "echo" | "lossy" | "corrupt" | "late" | "stray";

/** A UDP server on loopback that echoes each datagram, or misbehaves in one chosen way. */
export async function startUdpTestServer(kind: DatagramMisbehaviour): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const timers = new Set<NodeJS.Timeout>();
  let received = 0;
  socket.on("message", (datagram, from) => {
    const back = (data: Buffer): void => socket.send(data, from.port, from.address);
    received++;
    if (kind === "echo") back(datagram);
    // Every 10th datagram is lost.
    else if (kind === "lossy") {
      if (received % 10 !== 0) back(datagram);
    }
    // The last byte of every 5th datagram is changed.
    else if (kind === "corrupt") back(received % 5 === 0 ? Buffer.concat([datagram.subarray(0, -1), Buffer.from([(datagram.at(-1) ?? 0) ^ 0xff])]) : datagram);
    // Every 10th echo leaves 300 ms late.
    else if (kind === "late") {
      if (received % 10 !== 0) return back(datagram);
      const timer = setTimeout(() => {
        timers.delete(timer);
        back(datagram);
      }, 300);
      timers.add(timer);
    }
    // Echoes, and every 10th time also sends a datagram nobody sent.
    else {
      back(datagram);
      if (received % 10 === 0) back(Buffer.from("not an echo"));
    }
  });
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  return {
    port: socket.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        socket.close(() => resolve());
      }),
  };
}
