import net from "node:net";
import type { AddressInfo } from "node:net";

export interface EchoServerOptions {
  host?: string;
  port?: number;
}

export interface EchoServer {
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** A TCP echo server (RFC 862): every byte received goes back until the client closes. */
export function createEchoServer(options: EchoServerOptions = {}): EchoServer {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    // A reset peer is an expected event, not a crash.
    socket.on("error", () => socket.destroy());
    socket.pipe(socket);
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 9900, options.host ?? "127.0.0.1", () => resolve(server.address() as AddressInfo));
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
