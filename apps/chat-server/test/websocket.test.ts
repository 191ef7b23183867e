import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import type { ChatServer, ChatServerOptions } from "../src/index.js";
import { framesOf } from "../src/websocket-transport.js";
import { RawClient, register, startServer } from "./raw-client.js";

const BINARY = "binary.ircv3.net";
const TEXT = "text.ircv3.net";

/** Lines received, and waiting for the next one that matches (as RawClient does for TCP). */
class Inbox {
  readonly lines: string[] = [];
  private cursor = 0;
  private waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];

  push(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      const found = this.find(waiter.pattern, waiter.from);
      if (found !== undefined) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  }

  async expect(pattern: RegExp, timeoutMs = 3_000): Promise<string> {
    const found = this.find(pattern, this.cursor);
    if (found !== undefined) return found;
    return new Promise((resolve, reject) => {
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`no message matching ${pattern} within ${timeoutMs} ms; got:\n${this.lines.slice(this.cursor).join("\n")}`));
      }, timeoutMs);
      this.waiters.push({ pattern, from: this.cursor, resolve: done });
    });
  }

  async sees(pattern: RegExp, ms = 300): Promise<boolean> {
    return this.expect(pattern, ms).then(
      () => true,
      () => false,
    );
  }

  skip(): void {
    this.cursor = this.lines.length;
  }

  private find(pattern: RegExp, from: number): string | undefined {
    for (let i = from; i < this.lines.length; i++) {
      const line = this.lines[i] as string;
      if (pattern.test(line)) {
        this.cursor = i + 1;
        return line;
      }
    }
    return undefined;
  }
}

/** A WebSocket client (the ws package): each message it gets is one entry of lines, with whether it came as a binary frame. */
class WsClient extends Inbox {
  readonly frames: { data: Buffer; binary: boolean }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    super();
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.frames.push({ data, binary: isBinary });
      this.push(data.toString("utf8"));
    });
    ws.on("error", () => {});
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Each argument is one WebSocket message: a string as text, a Buffer as binary. */
  send(...messages: (string | Buffer)[]): void {
    for (const message of messages) this.ws.send(message);
  }

  close(): void {
    this.ws.terminate();
  }
}

interface WsOptions {
  protocols?: string[];
  origin?: string;
  headers?: Record<string, string>;
}

/** Opens a WebSocket; rejects with the HTTP status (`HTTP 403`) when the server refuses the upgrade, or the client's own error. */
async function openWs(port: number, options: WsOptions = {}): Promise<WsClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, options.protocols ?? [], { origin: options.origin, headers: options.headers });
  return new Promise((resolve, reject) => {
    ws.once("unexpected-response", (_request, response: http.IncomingMessage) => {
      response.resume();
      ws.terminate();
      reject(new Error(`HTTP ${response.statusCode}`));
    });
    ws.once("error", reject);
    ws.once("open", () => resolve(new WsClient(ws)));
  });
}

/** The welcome line (001) a registered client got. */
function welcome(client: Inbox): string {
  return client.lines.find((line) => / 001 /.test(line)) ?? "";
}

/** Connects over WebSocket and registers as nick; resolves after the welcome burst. */
async function registerWs(port: number, nick: string, options: WsOptions = { protocols: [TEXT] }): Promise<WsClient> {
  const client = await openWs(port, options);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`);
  await client.expect(/ (376|422) /);
  return client;
}

function wsPort(server: ChatServer): number {
  const address = server.allAddresses().find((a) => a.protocol === "ws");
  if (!address) throw new Error("no ws listener");
  return address.port;
}

/** A masked client frame (RFC 6455 5.2): opcode 1 text, 2 binary, 8 close. */
function clientFrame(payload: Buffer | string, opcode = 1, fin = true): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (data.length < 126) header = Buffer.from([first, 0x80 | data.length]);
  else if (data.length < 65536) header = Buffer.from([first, 0x80 | 126, data.length >> 8, data.length & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(data.length), 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.from(data.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, masked]);
}

/** A WebSocket spoken by hand over a plain socket: the upgrade written out, the server's frames parsed. */
class HandClient extends Inbox {
  readonly opcodes: number[] = [];
  private pending = Buffer.alloc(0);

  constructor(
    readonly socket: net.Socket,
    readonly status: number,
    readonly headers: Record<string, string>,
    rest: Buffer,
  ) {
    super();
    socket.on("data", (chunk: Buffer) => this.data(chunk));
    socket.on("error", () => {});
    if (rest.length) this.data(rest);
  }

  private data(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const buf = this.pending;
      if (buf.length < 2) return;
      let length = (buf[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      if (buf.length < offset + length) return;
      this.opcodes.push((buf[0] as number) & 0x0f);
      this.push(buf.subarray(offset, offset + length).toString("utf8"));
      this.pending = buf.subarray(offset + length);
    }
  }

  send(line: string): void {
    this.socket.write(clientFrame(line));
  }
}

/** Does the upgrade by hand; resolves with the server's answer (status, headers) and, after a 101, the frames that follow. */
async function handshake(port: number, headers: Record<string, string> = {}): Promise<HandClient> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  const lines = [
    "GET / HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(lines.join("\r\n") + "\r\n\r\n");
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      const [statusLine = "", ...headerLines] = seen.subarray(0, end).toString("latin1").split("\r\n");
      const answer: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        answer[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve(new HandClient(socket, Number(statusLine.split(" ")[1]), answer, seen.subarray(end + 4)));
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

/** A plain HTTP request (the path is sent exactly as given). */
async function request(port: number, pathname: string, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: pathname, method, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A server with a WebSocket listener for the tests of a describe block; what they open is closed after it. */
function useWsServer(options: ChatServerOptions = {}, websocket: Partial<NonNullable<ChatServerOptions["websocket"]>> = {}) {
  const state = { server: undefined as unknown as ChatServer, port: 0, ws: 0 };
  let stop: () => Promise<void> = async () => {};
  const open: { close(): void }[] = [];
  let n = 0;
  beforeAll(async () => {
    const started = await startServer({ ...options, websocket: { port: 0, ...websocket } });
    state.server = started.server;
    state.port = started.port;
    state.ws = wsPort(started.server);
    stop = started.stop;
  });
  afterAll(async () => {
    for (const client of open.splice(0)) client.close();
    await stop();
  });
  return {
    state,
    track<T extends { close(): void }>(client: T): T {
      open.push(client);
      return client;
    },
    nick: (prefix: string): string => `${prefix}${++n}`,
    channel: (): string => `#w${++n}`,
    /** A TCP user, registered. */
    async tcp(prefix: string): Promise<RawClient & { nick: string }> {
      const nick = `${prefix}${++n}`;
      const client = await register(state.port, nick);
      open.push(client);
      return Object.assign(client, { nick });
    },
    /** A WebSocket user, registered. */
    async web(prefix: string, options?: WsOptions): Promise<WsClient & { nick: string }> {
      const nick = `${prefix}${++n}`;
      const client = await registerWs(state.ws, nick, options);
      open.push(client);
      return Object.assign(client, { nick });
    },
  };
}

describe("subprotocol negotiation (IRCv3 websocket)", () => {
  const { state, track, nick } = useWsServer();

  test("[binary, text] gets binary: the server's lines come as binary messages", async () => {
    const client = track(await registerWs(state.ws, nick("b"), { protocols: [BINARY, TEXT] }));
    expect(client.ws.protocol).toBe(BINARY);
    expect(client.frames.length).toBeGreaterThan(5);
    expect(client.frames.every((frame) => frame.binary)).toBe(true);
    client.send(Buffer.from("PING :bin"));
    expect(await client.expect(/PONG/)).toMatch(/PONG \S+ :?bin$/);
  });

  test("[text, binary] gets text, and [text] gets text: the server's lines come as text messages", async () => {
    for (const protocols of [[TEXT, BINARY], [TEXT]]) {
      const client = track(await registerWs(state.ws, nick("t"), { protocols }));
      expect(client.ws.protocol).toBe(TEXT);
      expect(client.frames.every((frame) => !frame.binary)).toBe(true);
      client.send("PING :txt");
      expect(await client.expect(/PONG/)).toMatch(/PONG \S+ :?txt$/);
    }
  });

  test("no subprotocol offered: none is answered, and the connection works as text", async () => {
    const client = track(await registerWs(state.ws, nick("n"), { protocols: [] }));
    expect(client.ws.protocol).toBe("");
    expect(client.frames.every((frame) => !frame.binary)).toBe(true);
    client.send("PING :none");
    await client.expect(/PONG \S+ :?none$/);
  });

  test("only unknown subprotocols offered: the server picks none of them (and works as text); the ws client then gives up", async () => {
    // What the ws client sees: a 101 without Sec-WebSocket-Protocol, which it refuses (as browsers do).
    const ws = new WebSocket(`ws://127.0.0.1:${state.ws}/`, ["foo.example", "bar.example"]);
    const upgrade = new Promise<http.IncomingMessage>((resolve) => ws.once("upgrade", resolve));
    const error = new Promise<Error>((resolve) => ws.once("error", resolve));
    const response = await upgrade;
    expect(response.statusCode).toBe(101);
    expect(response.headers["sec-websocket-protocol"]).toBeUndefined();
    expect((await error).message).toMatch(/Server sent no subprotocol/);
    // Spoken by hand, the same offer gets the same answer, and IRC works over text frames.
    const hand = await handshake(state.ws, { "Sec-WebSocket-Protocol": "foo.example, bar.example" });
    track({ close: () => hand.socket.destroy() });
    expect(hand.status).toBe(101);
    expect(hand.headers["sec-websocket-protocol"]).toBeUndefined();
    const who = nick("u");
    hand.send(`NICK ${who}`);
    hand.send(`USER ${who} 0 * :R`);
    await hand.expect(/ 001 /);
    expect(new Set(hand.opcodes)).toEqual(new Set([1]));
  });
});

describe("one IRC line per WebSocket message, between WebSocket and TCP users", () => {
  const { state, track, channel, tcp, web } = useWsServer();

  test("each message the server sends is one line without CR LF; a channel carries messages both ways", async () => {
    for (const protocols of [[TEXT], [BINARY]]) {
      const webUser = await web("w", { protocols });
      const tcpUser = await tcp("t");
      const room = channel();
      webUser.send(`JOIN ${room}`);
      await webUser.expect(/ 366 /);
      tcpUser.send(`JOIN ${room}`);
      await tcpUser.expect(/ 366 /);
      await webUser.expect(new RegExp(`^:${tcpUser.nick}!\\S+ JOIN ${room}`));
      webUser.send(`PRIVMSG ${room} :hello from the web`);
      expect(await tcpUser.expect(/ PRIVMSG /)).toMatch(new RegExp(`^:${webUser.nick}!\\S+ PRIVMSG ${room} :hello from the web$`));
      tcpUser.send(`PRIVMSG ${room} :hello from tcp`, `NOTICE ${room} :and a notice`);
      expect(await webUser.expect(/ PRIVMSG /)).toMatch(new RegExp(`^:${tcpUser.nick}!\\S+ PRIVMSG ${room} :hello from tcp$`));
      expect(await webUser.expect(/ NOTICE /)).toMatch(/ NOTICE \S+ :and a notice$/);
      // The JOIN burst (JOIN, 353, 366) and the rest: one line each, never CR or LF inside.
      expect(webUser.lines.every((line) => line.length > 0 && !/[\r\n]/.test(line))).toBe(true);
      expect(webUser.lines.some((line) => / 353 /.test(line))).toBe(true);
      expect(webUser.frames.every((frame) => frame.binary === (protocols[0] === BINARY))).toBe(true);
    }
  });

  test("a message holding two lines separated by CR LF runs both; a trailing CR LF is harmless", async () => {
    const webUser = await web("w");
    const tcpUser = await tcp("t");
    webUser.send(`PRIVMSG ${tcpUser.nick} :one\r\nPRIVMSG ${tcpUser.nick} :two\r\n`);
    await tcpUser.expect(/ PRIVMSG \S+ :one$/);
    await tcpUser.expect(/ PRIVMSG \S+ :two$/);
    webUser.send(`PRIVMSG ${tcpUser.nick} :three\nPRIVMSG ${tcpUser.nick} :four`);
    await tcpUser.expect(/ PRIVMSG \S+ :three$/);
    await tcpUser.expect(/ PRIVMSG \S+ :four$/);
  });

  test("a binary client's invalid UTF-8 gets FAIL PRIVMSG INVALID_UTF8 (UTF8ONLY) and reaches nobody", async () => {
    const webUser = await web("w", { protocols: [BINARY] });
    const tcpUser = await tcp("t");
    expect(webUser.lines.filter((line) => / 005 /.test(line)).join(" ")).toContain(" UTF8ONLY");
    webUser.send(Buffer.concat([Buffer.from(`PRIVMSG ${tcpUser.nick} :caf`), Buffer.from([0xe9])]));
    expect(await webUser.expect(/FAIL/)).toMatch(/^:\S+ FAIL PRIVMSG INVALID_UTF8 :/);
    expect(await tcpUser.sees(/PRIVMSG/)).toBe(false);
    webUser.send(Buffer.from(`PRIVMSG ${tcpUser.nick} :café`));
    expect(await tcpUser.expect(/PRIVMSG/)).toMatch(/ :café$/);
  });

  test("a line over 512 bytes gets 417 and the connection lives on; so does one over the 8191+512-byte line limit", async () => {
    const webUser = await web("w");
    const tcpUser = await tcp("t");
    webUser.send(`PRIVMSG ${tcpUser.nick} :${"x".repeat(600)}`);
    expect(await webUser.expect(/ 417 /)).toMatch(new RegExp(` 417 ${webUser.nick} :`));
    webUser.send(`@+tag=${"y".repeat(9000)} PRIVMSG ${tcpUser.nick} :big`);
    await webUser.expect(/ 417 /);
    expect(await tcpUser.sees(/PRIVMSG/)).toBe(false);
    webUser.send("PING :alive");
    await webUser.expect(/PONG \S+ :?alive$/);
  });

  test("a message over 64 KiB closes the socket (1009) and the user quits", async () => {
    const webUser = await web("w");
    const tcpUser = await tcp("t");
    const room = channel();
    for (const client of [webUser, tcpUser]) client.send(`JOIN ${room}`);
    await tcpUser.expect(new RegExp(`^:${webUser.nick}!\\S+ JOIN|^:\\S+ 353 .*${webUser.nick}`));
    webUser.send(`PRIVMSG ${room} :${"z".repeat(70 * 1024)}`);
    expect((await webUser.closed).code).toBe(1009);
    await tcpUser.expect(new RegExp(`^:${webUser.nick}!\\S+ QUIT `));
    tcpUser.send("PING :still");
    await tcpUser.expect(/PONG/);
  });

  test("a client that vanishes after registering: others see its QUIT", async () => {
    const webUser = await web("w");
    const tcpUser = await tcp("t");
    const room = channel();
    webUser.send(`JOIN ${room}`);
    await webUser.expect(/ 366 /);
    tcpUser.send(`JOIN ${room}`);
    await tcpUser.expect(/ 366 /);
    webUser.ws.terminate();
    expect(await tcpUser.expect(/ QUIT /)).toMatch(new RegExp(`^:${webUser.nick}!\\S+ QUIT :`));
    tcpUser.send(`WHOIS ${webUser.nick}`);
    await tcpUser.expect(/ 401 /);
  });

  test("a client that vanishes mid-frame leaves the server healthy and its user gone", async () => {
    const tcpUser = await tcp("t");
    const room = channel();
    tcpUser.send(`JOIN ${room}`);
    await tcpUser.expect(/ 366 /);
    const hand = await handshake(state.ws, { "Sec-WebSocket-Protocol": TEXT });
    track({ close: () => hand.socket.destroy() });
    expect(hand.headers["sec-websocket-protocol"]).toBe(TEXT);
    const gone = `gone${tcpUser.nick}`;
    hand.send(`NICK ${gone}`);
    hand.send(`USER g 0 * :G`);
    await hand.expect(/ 001 /);
    hand.send(`JOIN ${room}`);
    await tcpUser.expect(new RegExp(`^:${gone}!\\S+ JOIN`));
    // The first bytes of a frame announcing 300 bytes, 50 of them, then nothing.
    const frame = clientFrame(`PRIVMSG ${room} :${"q".repeat(300)}`);
    hand.socket.write(frame.subarray(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    hand.socket.write(frame.subarray(1, 60));
    await new Promise((resolve) => setTimeout(resolve, 50));
    hand.socket.destroy();
    expect(await tcpUser.expect(/ QUIT /)).toMatch(new RegExp(`^:${gone}!\\S+ QUIT :`));
    expect(await tcpUser.sees(/ PRIVMSG /)).toBe(false);
    // Before registering, mid-header: nothing to see, and the connection is let go.
    const before = state.server.clients.size;
    const early = await handshake(state.ws);
    await until(() => state.server.clients.size === before + 1);
    early.socket.write(Buffer.from([0x81, 0xfe, 0x01]));
    early.socket.destroy();
    await until(() => state.server.clients.size === before);
    tcpUser.send("PING :healthy");
    await tcpUser.expect(/PONG \S+ :?healthy$/);
    const after = track(await registerWs(state.ws, `back${tcpUser.nick}`));
    after.send("PING :ok");
    await after.expect(/PONG/);
  });
});

describe("UTF8ONLY off: a TCP user's invalid UTF-8 reaches a text client as valid text", () => {
  const { tcp, web } = useWsServer({ utf8Only: false });

  test("the text client gets a text message with U+FFFD where the bytes were", async () => {
    const webUser = await web("w", { protocols: [TEXT] });
    const tcpUser = await tcp("t");
    tcpUser.socket.write(Buffer.concat([Buffer.from(`PRIVMSG ${webUser.nick} :caf`), Buffer.from([0xe9]), Buffer.from(" ok\r\n")]));
    expect(await webUser.expect(/ PRIVMSG /)).toMatch(/ PRIVMSG \S+ :caf\uFFFD ok$/);
    const frame = webUser.frames.at(-1);
    expect(frame?.binary).toBe(false);
    expect(Buffer.from(frame?.data.toString("utf8") ?? "").equals(frame?.data ?? Buffer.alloc(0))).toBe(true);
  });
});

describe("Origin allowlist", () => {
  const { state, track } = useWsServer({}, { origins: ["https://ok.example"] });

  test("a page from another origin gets 403 and no connection; the listed origin, the server's own host and non-browser clients connect", async () => {
    const before = state.server.clients.size;
    await expect(openWs(state.ws, { protocols: [TEXT], origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    await expect(openWs(state.ws, { protocols: [TEXT], origin: "http://ok.example" })).rejects.toThrow("HTTP 403");
    expect(state.server.clients.size).toBe(before);
    for (const origin of ["https://ok.example", `http://127.0.0.1:${state.ws}`, undefined]) {
      const client = track(await openWs(state.ws, { protocols: [TEXT], origin }));
      client.send("PING :in");
      await client.expect(/PONG/);
    }
  });
});

describe("X-Forwarded-For", () => {
  describe("from a trusted proxy", () => {
    const { state, track, nick, tcp } = useWsServer({}, { trustedProxies: ["127.0.0.1"] });

    test("names the client: the 001 mask and WHOIS show the forwarded address (the last one that is not a proxy)", async () => {
      const who = nick("x");
      const client = track(await registerWs(state.ws, who, { protocols: [TEXT], headers: { "X-Forwarded-For": "198.51.100.9, 203.0.113.7" } }));
      expect(welcome(client)).toMatch(/@203\.0\.113\.7$/);
      const other = await tcp("t");
      other.send(`WHOIS ${who}`);
      expect(await other.expect(/ 311 /)).toMatch(new RegExp(` 311 \\S+ ${who} \\S+ 203\\.0\\.113\\.7 \\* :`));
      const trailing = track(await registerWs(state.ws, nick("y"), { protocols: [TEXT], headers: { "X-Forwarded-For": "203.0.113.8, 127.0.0.1" } }));
      expect(welcome(trailing)).toMatch(/@203\.0\.113\.8$/);
      const bogus = track(await registerWs(state.ws, nick("z"), { protocols: [TEXT], headers: { "X-Forwarded-For": "not-an-address" } }));
      expect(welcome(bogus)).toMatch(/@127\.0\.0\.1$/);
    });
  });

  describe("from anyone else", () => {
    const { state, track, nick, tcp } = useWsServer();

    test("is ignored: the socket's address is the client's", async () => {
      const who = nick("x");
      const client = track(await registerWs(state.ws, who, { protocols: [TEXT], headers: { "X-Forwarded-For": "203.0.113.7" } }));
      expect(welcome(client)).toMatch(/@127\.0\.0\.1$/);
      const other = await tcp("t");
      other.send(`WHOIS ${who}`);
      expect(await other.expect(/ 311 /)).toMatch(/ 127\.0\.0\.1 \* :/);
    });
  });

  describe("through a proxy on a dual-stack listener (::)", () => {
    const { state, track, nick } = useWsServer({ host: "::" }, { trustedProxies: ["127.0.0.1"] });

    test("an IPv4 proxy seen as ::ffff:127.0.0.1 is still the trusted 127.0.0.1", async ({ skip }) => {
      if (state.server.allAddresses().find((a) => a.protocol === "ws")?.family !== "IPv6") skip();
      const client = track(await registerWs(state.ws, nick("x"), { protocols: [TEXT], headers: { "X-Forwarded-For": "203.0.113.9" } }));
      expect(welcome(client)).toMatch(/@203\.0\.113\.9$/);
    });
  });
});

describe("the web client's files", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "chat-web-"));
  const dir = path.join(root, "dist");
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>chat</title><script src=app.js></script>\n");
  writeFileSync(path.join(dir, "app.js"), "console.log('chat');\n");
  writeFileSync(path.join(dir, "assets", "style.css"), "body{}\n");
  writeFileSync(path.join(root, "secret.txt"), "not for the web\n");
  const { state } = useWsServer({}, { webClient: dir });

  test("GET / serves index.html, files have their types and the security headers; missing files are 404; nothing outside the directory", async () => {
    const index = await request(state.ws, "/");
    expect(index.status).toBe(200);
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.body).toContain("<title>chat</title>");
    expect(index.headers["x-content-type-options"]).toBe("nosniff");
    expect(index.headers["referrer-policy"]).toBe("no-referrer");
    expect(index.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(index.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    const script = await request(state.ws, "/app.js");
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).toBe("console.log('chat');\n");
    expect((await request(state.ws, "/assets/style.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await request(state.ws, "/index.html")).body).toBe(index.body);
    const head = await request(state.ws, "/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect((await request(state.ws, "/", "POST")).status).toBe(405);
    const missing = await request(state.ws, "/missing.js");
    expect(missing.status).toBe(404);
    expect(missing.headers["x-content-type-options"]).toBe("nosniff");
    for (const escape of ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt"]) {
      const answer = await request(state.ws, escape);
      expect(answer.status, escape).toBe(404);
      expect(answer.body, escape).not.toContain("not for the web");
    }
    // The same port still upgrades.
    const client = await openWs(state.ws, { protocols: [TEXT] });
    client.send("PING :up");
    await client.expect(/PONG/);
    client.close();
  });

  describe("without webClient", () => {
    const { state: bare } = useWsServer();

    test("a plain GET gets 426 Upgrade Required", async () => {
      const answer = await request(bare.ws, "/");
      expect(answer.status).toBe(426);
      expect(answer.headers.upgrade).toBe("websocket");
    });
  });
});

describe("flood control and connection limits apply as on TCP", () => {
  test("a WebSocket flooder is delayed, its commands run in order, and a TCP user is not slowed", async () => {
    const limited = await startServer({ limits: { floodBurst: 5, floodRate: 20 }, websocket: { port: 0 } });
    try {
      const flooder = await registerWs(wsPort(limited.server), "flooder");
      const calm = await register(limited.port, "calm");
      const started = Date.now();
      flooder.send(...Array.from({ length: 25 }, (_, i) => `PING :f${i}`));
      calm.send("PING :calm");
      await calm.expect(/PONG \S+ :?calm$/);
      const calmMs = Date.now() - started;
      await flooder.expect(/PONG \S+ :?f24$/, 5_000);
      const floodMs = Date.now() - started;
      // 20 commands past the burst at 20/s take about a second.
      expect(floodMs).toBeGreaterThan(700);
      expect(calmMs).toBeLessThan(500);
      const order = flooder.lines.filter((line) => line.includes("PONG")).map((line) => line.split(/:?f/).pop());
      expect(order).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      flooder.close();
      calm.close();
    } finally {
      await limited.stop();
    }
  });

  test("maxPerAddress 2: a third upgrade gets 503 (and a TCP connection is refused too); refused handshakes hold no slot", async () => {
    const capped = await startServer({ limits: { maxPerAddress: 2 }, websocket: { port: 0 } });
    const port = wsPort(capped.server);
    try {
      const a = await openWs(port, { protocols: [TEXT] });
      const b = await openWs(port, { protocols: [BINARY] });
      await expect(openWs(port, { protocols: [TEXT] })).rejects.toThrow("HTTP 503");
      const c = await RawClient.connect(capped.port);
      await c.expect(/^ERROR :Closing Link: \S+ \(Too many connections from your address\)/);
      a.send("PING :a");
      await a.expect(/PONG/);
      a.ws.close();
      b.ws.close();
      await Promise.all([a.closed, b.closed]);
      await until(() => capped.server.clients.size === 0);
      // Upgrades the ws library turns down (400: no Sec-WebSocket-Key, wrong version) must not keep their slots.
      for (const headers of ["Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7"]) {
        const socket = net.connect({ port, host: "127.0.0.1" });
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}\r\n\r\n`);
        const answer = await new Promise<string>((resolve) => {
          let seen = "";
          socket.on("data", (chunk: Buffer) => (seen += chunk.toString("latin1")));
          socket.on("close", () => resolve(seen));
          socket.on("error", () => {});
        });
        expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      }
      // Sockets that go away before the upgrade completes neither.
      for (let i = 0; i < 2; i++) {
        const socket = net.connect({ port, host: "127.0.0.1" });
        socket.on("error", () => {});
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        socket.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const d = await openWs(port, { protocols: [TEXT] });
      const e = await openWs(port, { protocols: [TEXT] });
      e.send("PING :e");
      await e.expect(/PONG/);
      d.close();
      e.close();
    } finally {
      await capped.stop();
    }
  });
});

describe("framesOf: the frames a flush becomes", () => {
  /** Parses unmasked server frames: [opcode, payload] each, every one final. */
  function parse(frames: Buffer): [number, Buffer][] {
    const out: [number, Buffer][] = [];
    for (let at = 0; at < frames.length; ) {
      expect((frames[at] as number) & 0x80).toBe(0x80);
      let length = (frames[at + 1] as number) & 0x7f;
      let header = 2;
      if (length === 126) [length, header] = [frames.readUInt16BE(at + 2), 4];
      else if (length === 127) [length, header] = [Number(frames.readBigUInt64BE(at + 2)), 10];
      out.push([(frames[at] as number) & 0x0f, frames.subarray(at + header, at + header + length)]);
      at += header + length;
    }
    return out;
  }

  test("one frame per non-empty line, without CR LF, whatever its length; text repairs invalid UTF-8, binary keeps the bytes", () => {
    const long = "l".repeat(300);
    const huge = "h".repeat(70_000);
    const data = Buffer.concat([Buffer.from(`:a PING x\r\n\r\n:b ${long}\n:c ${huge}\r\n:d caf`), Buffer.from([0xe9]), Buffer.from("\r\n:e last")]);
    const text = parse(framesOf(data, false));
    expect(text.map(([opcode]) => opcode)).toEqual([1, 1, 1, 1, 1]);
    expect(text.map(([, payload]) => payload.toString("utf8"))).toEqual([":a PING x", `:b ${long}`, `:c ${huge}`, ":d caf\uFFFD", ":e last"]);
    const binary = parse(framesOf(data, true));
    expect(binary.map(([opcode]) => opcode)).toEqual([2, 2, 2, 2, 2]);
    expect(binary[3]?.[1]).toEqual(Buffer.concat([Buffer.from(":d caf"), Buffer.from([0xe9])]));
    expect(framesOf(Buffer.from("\r\n\n"), false)).toHaveLength(0);
  });
});
