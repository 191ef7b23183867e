// The benchmarks' IRC client: registers and joins by waiting for replies, then only counts lines and times a sample.
import net from "node:net";
import { performance } from "node:perf_hooks";

/** A reply that did not come in time. */
export class NoReplyError extends Error {
  override readonly name = "NoReplyError";
  constructor(
    readonly nick: string,
    readonly pattern: RegExp,
    timeoutMs: number,
  ) {
    super(`${nick}: no ${pattern} within ${timeoutMs} ms`);
  }
}

/**
 * What every transport shares: before counting, the text received (waitFor); while counting,
 * a count of lines and, for sampled clients and clients with onText, the text of whole lines.
 */
export abstract class LoadClient {
  /** Lines are counted, not kept, once this is set (startCounting). */
  counting = false;
  /** Whether this client times the messages it gets (latency marks " :T <sent> n<node> "). */
  sampled = false;
  lines = 0;
  latencies: number[] = [];
  /** Latencies of messages sent through another node (cluster runs). */
  crossLatencies: number[] = [];
  /** Called with the text of whole lines while counting (an acknowledging receiver, a tag check). */
  onText: ((text: string) => void) | undefined;
  /** Set when the server cut the connection before we closed it. */
  cut = false;
  private text = "";
  private waiting: { pattern: RegExp; resolve: (text: string) => void } | undefined;

  constructor(
    readonly nick: string,
    /** Which server (cluster node) this client is connected to. */
    readonly node: number,
  ) {}

  abstract send(line: string): void;
  /** Several lines in one write. */
  abstract sendAll(lines: readonly string[]): void;
  abstract close(): void;

  startCounting(): void {
    this.counting = true;
  }

  /** Resolves, with the text read up to and including it, once pattern matches what came since the last match. */
  waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    if (pattern.test(this.text)) {
      const seen = this.text;
      this.text = "";
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new NoReplyError(this.nick, pattern, timeoutMs)), timeoutMs);
      this.waiting = { pattern, resolve: (seen) => (clearTimeout(timer), resolve(seen)) };
    });
  }

  /** Text before counting starts (registration, JOIN). */
  protected setupText(text: string): void {
    this.text += text;
    if (this.waiting?.pattern.test(this.text)) {
      const { resolve } = this.waiting;
      const seen = this.text;
      this.waiting = undefined;
      this.text = "";
      resolve(seen);
    }
  }

  /** Whole lines (each ending in LF) received at `now`. */
  protected measure(text: string, now: number): void {
    this.onText?.(text);
    if (!this.sampled) return;
    for (let mark = text.indexOf(" :T "); mark >= 0; mark = text.indexOf(" :T ", mark)) {
      mark += 4;
      const space = text.indexOf(" ", mark);
      const sent = Number.parseFloat(text.slice(mark, space));
      if (!Number.isFinite(sent)) continue;
      this.latencies.push(now - sent);
      // "T <time> n<node>": the sender's node.
      if (text[space + 1] === "n" && Number(text[space + 2]) !== this.node) this.crossLatencies.push(now - sent);
    }
  }
}

/** An IRC client over TCP: while counting, LFs are counted in each chunk, and only clients that need the text decode it. */
export class TcpLoadClient extends LoadClient {
  private partial = "";

  static async open(port: number, nick: string, node = 0): Promise<TcpLoadClient> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    socket.setNoDelay(true);
    return new TcpLoadClient(socket, nick, node);
  }

  constructor(
    private readonly socket: net.Socket,
    nick: string,
    node: number,
  ) {
    super(nick, node);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    // We only ever destroy() our sockets, so an end or a reset came from the server.
    socket.on("error", () => (this.cut = true));
    socket.on("end", () => (this.cut = true));
  }

  private onData(chunk: Buffer): void {
    if (!this.counting) return this.setupText(chunk.toString("latin1"));
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) this.lines++;
    if (!this.sampled && !this.onText) return;
    const now = performance.now();
    const text = this.partial + chunk.toString("latin1");
    const cut = text.lastIndexOf("\n");
    this.partial = text.slice(cut + 1);
    if (cut >= 0) this.measure(text.slice(0, cut + 1), now);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  sendAll(lines: readonly string[]): void {
    if (lines.length) this.socket.write(`${lines.join("\r\n")}\r\n`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Completes a client's registration; called with each client and its index. */
export type Register = (client: LoadClient, index: number) => Promise<void>;

/** The registration every client makes unless told otherwise: NICK and USER, then the end of the MOTD. */
export async function nickUser(client: LoadClient): Promise<void> {
  client.send(`NICK ${client.nick}`);
  client.send(`USER ${client.nick} 0 * :bench`);
  await client.waitFor(/ (376|422) /);
}

/** Opens `count` registered clients named prefix0, prefix1...: the transport's part of a run. */
export type ConnectClients = (count: number, prefix: string) => Promise<LoadClient[]>;

export interface ConnectOptions {
  /** Clients opened at once (ngircd's listen backlog is 10). */
  batch?: number;
  register?: Register;
}

/** Opens count registered clients with `open`, batch at a time. */
export async function openClients(open: (nick: string) => Promise<LoadClient>, count: number, prefix: string, options: ConnectOptions = {}): Promise<LoadClient[]> {
  const { batch = 10, register = nickUser } = options;
  const clients: LoadClient[] = [];
  for (let i = 0; i < count; i += batch) {
    const group: Promise<LoadClient>[] = [];
    for (let k = i; k < Math.min(count, i + batch); k++) {
      group.push(
        (async () => {
          const client = await open(`${prefix}${k}`);
          await register(client, k);
          return client;
        })(),
      );
    }
    clients.push(...(await Promise.all(group)));
  }
  return clients;
}

/** TCP clients of the server on port (cluster node `node`). */
export function tcpClients(port: number, options: ConnectOptions & { node?: number } = {}): ConnectClients {
  return (count, prefix) => openClients((nick) => TcpLoadClient.open(port, nick, options.node), count, prefix, options);
}

/** TCP clients spread evenly over ports (cluster nodes), interleaved so senders and samples are too. */
export function spreadClients(ports: readonly number[]): ConnectClients {
  return async (count, prefix) => {
    const groups = await Promise.all(ports.map((port, node) => tcpClients(port, { node })(Math.ceil((count - node) / ports.length), `${prefix}${node}x`)));
    const clients: LoadClient[] = [];
    for (let i = 0; clients.length < count; i++) {
      for (const group of groups) {
        const client = group[i];
        if (client) clients.push(client);
      }
    }
    return clients;
  };
}

export function closeClients(clients: readonly LoadClient[]): void {
  for (const client of clients) client.close();
}
