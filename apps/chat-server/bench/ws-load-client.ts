// The benchmarks' IRC client over WebSocket (the ws package, subprotocol text.ircv3.net: one line per message).
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { LoadClient, openClients, type ConnectClients, type ConnectOptions } from "./irc-load-client.js";

/** The server chose another subprotocol than text.ircv3.net. */
export class SubprotocolError extends Error {
  override readonly name = "SubprotocolError";
  constructor(
    readonly nick: string,
    readonly chosen: string,
  ) {
    super(`${nick}: the server chose subprotocol "${chosen}"`);
  }
}

/** One frame of the server's (unmasked) frames at `at`: header and payload lengths, or undefined when the header is not all there. */
function frameAt(buf: Buffer, at: number): { header: number; length: number; data: boolean } | undefined {
  if (buf.length - at < 2) return undefined;
  const first = buf[at] as number;
  const short = (buf[at + 1] as number) & 0x7f;
  // Opcodes 0-2 (continuation, text, binary) carry messages; the others are control frames.
  const data = (first & 0x0f) <= 2;
  if (short === 126) return buf.length - at < 4 ? undefined : { header: 4, length: buf.readUInt16BE(at + 2), data };
  if (short === 127) return buf.length - at < 10 ? undefined : { header: 10, length: Number(buf.readBigUInt64BE(at + 2)), data };
  return { header: 2, length: short, data };
}

/**
 * It connects, registers and joins through ws; while counting, a tap on its socket counts the
 * server's frames (and gives the clients that need it their lines' text) instead of ws's
 * 'message' events, which cost the load generator about 0.5 us a message: with 200 receivers
 * the generator, not the server, would set the saturation rate. The tap goes on after the JOIN
 * burst has been read, so no frame is half-read then.
 */
export class WsLoadClient extends LoadClient {
  /** Unread bytes of the current frame's payload (frames of clients that need no text are skipped). */
  private skip = 0;
  private pending = Buffer.alloc(0);

  static async open(port: number, nick: string): Promise<WsLoadClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ["text.ircv3.net"], { perMessageDeflate: false });
    const socket = await new Promise<Socket>((resolve, reject) => {
      let upgraded: Socket | undefined;
      ws.once("upgrade", (response: IncomingMessage) => (upgraded = response.socket));
      ws.once("open", () => (upgraded ? resolve(upgraded) : reject(new Error(`${nick}: open without an upgrade`))));
      ws.once("error", reject);
    });
    if (ws.protocol !== "text.ircv3.net") throw new SubprotocolError(nick, ws.protocol);
    socket.setNoDelay(true);
    return new WsLoadClient(ws, socket, nick);
  }

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Socket,
    nick: string,
  ) {
    super(nick, 0);
    ws.on("message", (data: Buffer) => this.setupText(`${data.toString("latin1")}\n`));
    ws.on("error", () => (this.cut = true));
    ws.on("close", () => (this.cut = true));
  }

  send(line: string): void {
    this.ws.send(line);
  }

  sendAll(lines: readonly string[]): void {
    this.socket.cork();
    for (const line of lines) this.ws.send(line);
    this.socket.uncork();
  }

  override startCounting(): void {
    this.counting = true;
    for (const listener of this.socket.listeners("data")) this.socket.off("data", listener as (chunk: Buffer) => void);
    const text = this.sampled || Boolean(this.onText);
    this.socket.on("data", (chunk: Buffer) => (text ? this.framesWithText(chunk) : this.countFrames(chunk)));
    // An end or a reset came from the server (ws's own listeners see those still).
    this.socket.on("end", () => (this.cut = true));
  }

  /** Counts the server's frames, skipping their payloads. */
  private countFrames(chunk: Buffer): void {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let at = Math.min(this.skip, buf.length);
    this.skip -= at;
    while (at < buf.length) {
      const frame = frameAt(buf, at);
      if (!frame) break;
      if (frame.data) this.lines++;
      const end = at + frame.header + frame.length;
      if (end > buf.length) {
        this.skip = end - buf.length;
        at = buf.length;
        break;
      }
      at = end;
    }
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at));
  }

  /** Counts the frames and hands their payloads on as lines (whole frames only). */
  private framesWithText(chunk: Buffer): void {
    const now = performance.now();
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    let text = "";
    for (;;) {
      const frame = frameAt(buf, at);
      if (!frame || buf.length - at < frame.header + frame.length) break;
      if (frame.data) {
        this.lines++;
        text += `${buf.toString("latin1", at + frame.header, at + frame.header + frame.length)}\n`;
      }
      at += frame.header + frame.length;
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    if (text) this.measure(text, now);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** WebSocket clients of the server's WebSocket listener on port. */
export function wsClients(port: number, options: ConnectOptions = {}): ConnectClients {
  return (count, prefix) => openClients((nick) => WsLoadClient.open(port, nick), count, prefix, { batch: 50, ...options });
}
