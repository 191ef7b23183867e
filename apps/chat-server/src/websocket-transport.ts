import { isUtf8 } from "node:buffer";
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

/** An IPv4 address as a dual-stack (::) listener sees it, ::ffff:a.b.c.d, as a.b.c.d; others as they are. */
function unmapped(address: string): string {
  return address.length > 7 && address.slice(0, 7).toLowerCase() === "::ffff:" && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The client's address: the socket's, or, when the socket comes from a proxy we trust, the
 * last address in X-Forwarded-For that is not one of our proxies. A proxy given as an IPv4
 * address is trusted on a dual-stack listener too, where its socket shows ::ffff:a.b.c.d.
 */
export function clientAddress(request: http.IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = request.socket.remoteAddress ?? "unknown";
  if (trustedProxies.length === 0) return peer;
  const trusted = (address: string): boolean => trustedProxies.includes(address) || trustedProxies.includes(unmapped(address));
  if (!trusted(peer)) return peer;
  const forwarded = request.headers["x-forwarded-for"];
  const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (isIP(hop) && !trusted(hop)) return hop;
  }
  return peer;
}

/** A server's frame header (unmasked, final) for a payload of length bytes: its size in bytes. */
function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/**
 * The WebSocket frames of data, lines each ending in LF (CR LF; the last may lack it): one final,
 * unmasked frame per non-empty line, its payload the line without CR LF; text frames (opcode 1)
 * or binary (opcode 2). Text frames must be UTF-8: invalid bytes become U+FFFD first (no
 * invalid sequence spans a LF, so this is the same as repairing each line).
 */
export function framesOf(data: Buffer, binary: boolean): Buffer {
  if (!binary && !isUtf8(data)) data = Buffer.from(data.toString("utf8"));
  let total = 0;
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.length;
    const length = (end > start && data[end - 1] === 13 ? end - 1 : end) - start;
    if (length > 0) total += headerBytes(length) + length;
    start = end + 1;
  }
  const out = Buffer.allocUnsafe(total);
  const first = binary ? 0x82 : 0x81;
  let at = 0;
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.length;
    const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
    const length = stop - start;
    if (length > 0) {
      out[at] = first;
      if (length < 126) {
        out[at + 1] = length;
        at += 2;
      } else if (length < 65536) {
        out[at + 1] = 126;
        out.writeUInt16BE(length, at + 2);
        at += 4;
      } else {
        out[at + 1] = 127;
        out.writeBigUInt64BE(BigInt(length), at + 2);
        at += 10;
      }
      at += data.copy(out, at, start, stop);
    }
    start = end + 1;
  }
  return out;
}

/**
 * Recent flushes' frames, text and binary apart. Members of a channel get the same bytes: fan-out
 * hands one Buffer to each (one message this turn), or their flushes hold the same lines in the
 * same order (several), so the frames are built once and found again by identity or by content
 * (a memcmp, far cheaper than framing); a sender, whose flush lacks its own lines, is the usual
 * one in between, hence a few entries.
 */
class FrameCache {
  private readonly data: (Buffer | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly frames: Buffer[] = [];
  private next = 0;

  constructor(private readonly binary: boolean) {}

  framesOf(data: Buffer): Buffer {
    const { data: seen, frames } = this;
    for (let i = 0; i < seen.length; i++) if (seen[i] === data) return frames[i] as Buffer;
    for (let i = 0; i < seen.length; i++) {
      const other = seen[i];
      if (other !== undefined && other.length === data.length && other.equals(data)) return frames[i] as Buffer;
    }
    const built = framesOf(data, this.binary);
    seen[this.next] = data;
    frames[this.next] = built;
    this.next = (this.next + 1) % seen.length;
    return built;
  }
}

const frameCaches = { text: new FrameCache(false), binary: new FrameCache(true) };

/**
 * A WebSocket as a connection's transport: the server writes whole lines (several per flush),
 * each goes out as one message without its CR LF; in text mode invalid UTF-8 becomes U+FFFD.
 *
 * The frames of a flush go to the socket in one write, as a TCP connection's lines do, rather
 * than through ws.send() line by line (two socket buffers a message: a writev of hundreds of
 * pieces a flush, most of a saturated server's time). This is safe beside ws's own writes
 * (close, pong): without permessage-deflate (off) ws never holds frames back, it writes each
 * whole; and ws.bufferedAmount, the send queue's measure, counts the socket's buffered bytes.
 */
export function webSocketTransport(ws: WebSocket, socket: Duplex): Transport {
  const cache = ws.protocol === BINARY ? frameCaches.binary : frameCaches.text;
  return {
    write(data) {
      // After a close frame nothing more may be sent (ws.send() would drop it too).
      if (ws.readyState !== ws.OPEN) return;
      const frames = cache.framesOf(data);
      if (frames.length > 0) socket.write(frames);
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
