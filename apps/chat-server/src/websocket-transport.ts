import { isIP } from "node:net";
import type http from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { Transport } from "./connection.js";

/** The IRCv3 WebSocket subprotocols: one IRC line per message, as bytes or as UTF-8 text. */
export const BINARY = "binary.ircv3.net";
export const TEXT = "text.ircv3.net";

/** The subprotocol to answer: the client's first choice among ours; none (text) when it offers neither. */
export function chooseSubprotocol(offered: Set<string>): string | false {
  for (const protocol of offered) if (protocol === BINARY || protocol === TEXT) return protocol;
  return false;
}

/** Whether a browser page from origin may connect: any when no list is given, else one listed, or the server's own host. */
export function originAllowed(request: http.IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (allowed.length === 0 || origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * The client's address: the socket's, or, when the socket comes from a proxy we trust, the
 * last address in X-Forwarded-For that is not one of our proxies.
 */
export function clientAddress(request: http.IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = request.socket.remoteAddress ?? "unknown";
  if (!trustedProxies.includes(peer)) return peer;
  const forwarded = request.headers["x-forwarded-for"];
  const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (isIP(hop) && !trustedProxies.includes(hop)) return hop;
  }
  return peer;
}

/**
 * A WebSocket as a connection's transport: the server writes whole lines (several per flush),
 * each goes out as one message without its CR LF; in text mode invalid UTF-8 becomes U+FFFD.
 */
export function webSocketTransport(ws: WebSocket, socket: Duplex): Transport {
  const binary = ws.protocol === BINARY;
  return {
    write(data) {
      // One write to the socket for all the messages of this flush.
      socket.cork();
      let start = 0;
      while (start < data.length) {
        let end = data.indexOf(10, start);
        if (end < 0) end = data.length;
        const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
        if (stop > start) {
          const line = data.subarray(start, stop);
          ws.send(binary ? line : line.toString("utf8"), { binary });
        }
        start = end + 1;
      }
      process.nextTick(() => socket.uncork());
    },
    pendingBytes: () => ws.bufferedAmount,
    pause: (paused) => (paused ? ws.pause() : ws.resume()),
    end: () => ws.close(1000),
    destroy: () => ws.terminate(),
  };
}

/** The lines of one WebSocket message: normally one, without CR LF; CR and LF end a line, as on TCP, so neither reaches anyone else. */
export function messageLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && data[i] !== 10 && data[i] !== 13) continue;
    if (i > start) lines.push(data.subarray(start, i));
    start = i + 1;
  }
  return lines;
}
