import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import { createChatServer, type ChatServer, type ChatServerOptions } from "../src/index.js";

/** A raw IRC connection for tests: send lines, wait for lines matching a pattern. */
export class RawClient {
  readonly lines: string[] = [];
  private buffer = "";
  private waiters: { pattern: RegExp; resolve: (line: string) => void; from: number }[] = [];
  private cursor = 0;
  closed = false;
  readonly done: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\r\n")) >= 0) {
        this.lines.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.check();
    });
    socket.on("error", () => {});
    this.done = new Promise((resolve) => socket.on("close", () => {
      this.closed = true;
      resolve();
    }));
  }

  static async connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    const socket = net.connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new RawClient(socket);
  }

  send(...lines: string[]): void {
    this.socket.write(lines.map((line) => line + "\r\n").join(""));
  }

  /** Waits for the next line (after the last one waited for) that matches pattern. */
  async expect(pattern: RegExp, timeoutMs = 3_000): Promise<string> {
    const found = this.find(pattern, this.cursor);
    if (found !== undefined) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${this.lines.slice(this.cursor).join("\n")}`));
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push({ pattern, resolve: done, from: this.cursor });
    });
  }

  /** Lines received from now on are what the next expect() looks at. */
  skip(): void {
    this.cursor = this.lines.length;
  }

  /** Resolves true if a matching line arrives within ms, false otherwise. */
  async sees(pattern: RegExp, ms = 300): Promise<boolean> {
    return this.expect(pattern, ms).then(
      () => true,
      () => false,
    );
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

  private check(): void {
    for (const waiter of [...this.waiters]) {
      const line = this.find(waiter.pattern, waiter.from);
      if (line !== undefined) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** scrypt at its lowest allowed cost: tests register many accounts. */
export const testScryptCost = { ln: 10, r: 8, p: 1 };

/** A server on a free loopback port, closed by the returned stop(), with accounts in a fresh SQLite directory unless options give them. */
export async function startServer(options: ChatServerOptions = {}): Promise<{ server: ChatServer; port: number; stop: () => Promise<void> }> {
  const accounts = options.accounts ?? { store: new SqliteAccounts({ dataDir: mkdtempSync(path.join(os.tmpdir(), "chat-accounts-")) }), cost: testScryptCost };
  const server = createChatServer({ serverName: "irc.test", port: 0, ...options, accounts, limits: { floodRate: 0, ...options.limits } });
  await server.listen();
  const port = server.address()?.port ?? 0;
  return { server, port, stop: () => server.close({ graceMs: 200 }) };
}

/** Connects and registers nick; resolves after the end of the welcome burst. */
export async function register(port: number, nick: string, caps: string[] = []): Promise<RawClient> {
  const client = await RawClient.connect(port);
  if (caps.length) client.send("CAP LS 302", `CAP REQ :${caps.join(" ")}`);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`);
  if (caps.length) {
    await client.expect(/ CAP \S+ ACK /);
    client.send("CAP END");
  }
  await client.expect(/ (376|422) /);
  return client;
}

/** Connects, logs into account with SASL PLAIN before registration, and registers as nick; resolves after the welcome burst. */
export async function login(port: number, nick: string, account: string, password: string, caps: string[] = []): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.send("CAP LS 302", `CAP REQ :${["sasl", ...caps].join(" ")}`);
  await client.expect(/ CAP \S+ ACK /);
  client.send("AUTHENTICATE PLAIN");
  await client.expect(/^AUTHENTICATE \+|:\S+ AUTHENTICATE \+/);
  client.send(`AUTHENTICATE ${Buffer.from(`${account}\0${account}\0${password}`).toString("base64")}`);
  await client.expect(/ 903 /);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`, "CAP END");
  await client.expect(/ (376|422) /);
  return client;
}
