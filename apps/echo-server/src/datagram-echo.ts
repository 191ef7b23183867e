import dgram from "node:dgram";
import net from "node:net";
import { RateLimiter } from "@netlab/daemon";

export interface DatagramEchoOptions {
  host: string;
  port: number;
  ratePerSecond: number;
  burst: number | undefined;
  blockedSourcePorts: readonly number[];
  onEcho: (bytes: number) => void;
  onDrop: (reason: "loop-port" | "rate-limit", address: string, port: number) => void;
}

/** A UDP socket that sends each datagram back to its sender, unless a loop or flood guard drops it. */
export async function bindDatagramEcho(options: DatagramEchoOptions): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: net.isIPv6(options.host) ? "udp6" : "udp4" });
  const blocked = new Set(options.blockedSourcePorts);
  const limiter = new RateLimiter({ ratePerSecond: options.ratePerSecond, burst: options.burst });
  socket.on("message", (message, from) => {
    if (blocked.has(from.port)) return options.onDrop("loop-port", from.address, from.port);
    // Per source address: a spoofed victim is one address whatever port is claimed.
    if (!limiter.take(from.address)) return options.onDrop("rate-limit", from.address, from.port);
    options.onEcho(message.length);
    socket.send(message, from.port, from.address);
  });
  // A send error (ICMP unreachable surfaced later) must not stop the service.
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    socket.once("error", fail);
    socket.bind(options.port, options.host, () => {
      socket.off("error", fail);
      resolve();
    });
  });
  return socket;
}
