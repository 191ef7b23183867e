import { EventEmitter } from "node:events";
import net from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { ConnectionLimiter, ConnectionTracker, type DaemonMetrics, type Logger } from "@netlab/daemon";
import { pino } from "pino";
import { Cap } from "./capabilities.js";
import { foldCase } from "./casemap.js";
import type { Channel } from "./channel.js";
import type { ClusterLink } from "./cluster/link.js";
import { Client, type FlushQueue, type Transport } from "./client.js";
import { commands } from "./commands/index.js";
import { localFanout, type Fanout } from "./fanout.js";
import { noHistory, type HistoryEntry, type HistoryStore } from "./history.js";
import { LineReader } from "./line-reader.js";
import { parseMessage, formatMessage } from "@netlab/irc-protocol";
import { defaultLimits, type ChatLimits, type ChatServerOptions } from "./options.js";
import { Outgoing, stamp } from "./outgoing.js";
import { registerChatMetrics } from "./metrics.js";

/** Longest line without its tags, CR LF included (RFC 1459). */
const maxBodyBytes = 512;
/** Longest tag section a client may send (IRCv3 message-tags). */
const maxTagBytes = 8191;

/** Numerics whose last parameter is a token, not text. */
const tokenNumerics = new Set(["004", "221", "324", "329", "333", "341", "367"]);

/** Who used a nick, kept for WHOWAS. */
export interface WhowasEntry {
  nick: string;
  user: string;
  host: string;
  realname: string;
  at: number;
}

/** WHOWAS entries kept. */
const whowasSize = 200;

/** Counters behind the metrics. */
export interface ChatStats {
  linesIn: number;
  /** Lines sent to clients that have since gone; live clients keep their own count. */
  linesOutClosed: number;
  writes: number;
  messages: number;
  disconnects: Map<string, number>;
  limitHits: Map<string, number>;
}

/** What `address()` and the `listening` event report for each listener. */
export interface ListenerAddress {
  protocol: "irc" | "ircs";
  address: string;
  family: string;
  port: number;
}

export interface ChatServerEvents {
  listening: [ListenerAddress];
  registered: [Client];
  disconnect: [Client, string];
}

/**
 * An IRC server: accepts connections, keeps nicks and channels in memory and runs the
 * commands in commands/. Create with createChatServer, then listen().
 */
export class ChatServer extends EventEmitter<ChatServerEvents> {
  readonly name: string;
  readonly limits: ChatLimits;
  readonly logger: Logger;
  readonly createdAt = new Date();
  readonly version = "netlab-chat-server-0.1";
  readonly clients = new Set<Client>();
  /** Registered (and registering) clients by folded nick. */
  readonly nicks = new Map<string, Client>();
  readonly channels = new Map<string, Channel>();
  /** Nicks that were in use, newest last, for WHOWAS. */
  readonly whowas: WhowasEntry[] = [];
  readonly stats: ChatStats = { linesIn: 0, linesOutClosed: 0, writes: 0, messages: 0, disconnects: new Map(), limitHits: new Map() };
  readonly history: HistoryStore;
  readonly fanout: Fanout;
  /** Cluster mode: how this node tells the others what happens here (undefined: one server alone). */
  readonly cluster: ClusterLink | undefined;
  private readonly servers: (net.Server | tls.Server)[] = [];
  private readonly addresses: ListenerAddress[] = [];
  private readonly limiter: ConnectionLimiter;
  private readonly tracker = new ConnectionTracker<net.Socket>();
  private readonly metrics: DaemonMetrics | undefined;
  private nextId = 1;
  private sweepTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  /** The history commit in flight (asynchronous stores), whose flush's output waits for it. */
  private committing: Promise<void> | undefined;
  /** A flush came while a commit was in flight: run it when the commit settles. */
  private flushAgain = false;
  /** Disconnected clients whose last lines and close wait for the next flush. */
  private readonly ending = new Set<Client>();
  private lastFlush = 0;
  private readonly dirty: Client[] = [];
  private readonly flushQueue: FlushQueue;
  private shuttingDown = false;

  constructor(readonly options: ChatServerOptions = {}) {
    super();
    this.name = options.serverName ?? os.hostname();
    this.limits = { ...defaultLimits, ...options.limits };
    this.logger = options.logger ?? pino({ level: "silent" });
    this.history = options.history ?? noHistory;
    this.fanout = options.fanout ?? localFanout;
    this.cluster = options.cluster?.(this);
    // Other nodes get a message only once it is stored, as local clients do.
    if (this.cluster) this.history = this.cluster.storedFirst(this.history);
    this.flushQueue = {
      add: (client) => {
        this.dirty.push(client);
        this.scheduleFlush();
      },
    };
    this.limiter = new ConnectionLimiter({ maxConnections: this.limits.maxConnections, maxPerAddress: this.limits.maxPerAddress });
    this.metrics = options.metrics;
    if (options.metrics) registerChatMetrics(options.metrics.registry, this);
  }

  /** At most one flush per flushIntervalMs: under load, lines for a client share one write. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastFlush + this.limits.flushIntervalMs - performance.now();
    if (wait <= 0) setImmediate(this.flush);
    else setTimeout(this.flush, wait);
  }

  /** Hands a message to the history store; the next flush commits it, even if nobody receives it. */
  store(entry: HistoryEntry): void {
    this.history.append(entry);
    this.scheduleFlush();
  }

  /** Starts the plain listener and, with TLS options, the TLS one. */
  async listen(): Promise<ListenerAddress[]> {
    const host = this.options.host ?? "127.0.0.1";
    // Join the cluster first, so the first users' nicks are claimed network-wide.
    await this.cluster?.start();
    await this.listenOn(net.createServer(), host, this.options.port ?? 6667, "irc");
    const tlsOptions = this.options.tls;
    if (tlsOptions) {
      const server = tls.createServer({ cert: tlsOptions.cert, key: tlsOptions.key });
      await this.listenOn(server, host, tlsOptions.port ?? 6697, "ircs");
    }
    const period = Math.min(this.limits.registrationTimeoutMs, this.limits.pingIntervalMs, this.limits.pingTimeoutMs) / 4;
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(25, Math.min(period, 5_000)));
    this.sweepTimer.unref();
    return [...this.addresses];
  }

  /** The plain listener's address (the first one). */
  address(): ListenerAddress | undefined {
    return this.addresses[0];
  }

  allAddresses(): ListenerAddress[] {
    return [...this.addresses];
  }

  private async listenOn(server: net.Server, host: string, port: number, protocol: "irc" | "ircs"): Promise<void> {
    const event = protocol === "ircs" ? "secureConnection" : "connection";
    server.on(event, (socket: net.Socket) => this.accept(socket));
    server.on("error", (error) => this.logger.error({ err: error, protocol }, "listener error"));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host, backlog: 1024 }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const info = server.address() as net.AddressInfo;
    const address: ListenerAddress = { protocol, address: info.address, family: info.family, port: info.port };
    this.servers.push(server);
    this.addresses.push(address);
    this.emit("listening", address);
  }

  /** Counts a limit being hit, for logs and metrics. */
  limitHit(kind: string, client?: Client): void {
    this.stats.limitHits.set(kind, (this.stats.limitHits.get(kind) ?? 0) + 1);
    this.logger.warn({ limit: kind, ip: client?.ip, nick: client?.nick }, "limit reached");
  }

  private accept(socket: net.Socket): void {
    const ip = socket.remoteAddress ?? "unknown";
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.logger.debug({ err: error.code ?? error.message, ip }, "socket error");
    });
    const protocol = socket instanceof tls.TLSSocket ? "ircs" : "irc";
    const reject = (kind: string, reason: string): void => {
      this.limitHit(kind);
      this.metrics?.connectionsRefused.inc({ protocol, reason: kind });
      socket.end(`ERROR :Closing Link: ${ip} (${reason})\r\n`);
      setTimeout(() => socket.destroy(), 1_000).unref();
    };
    if (this.shuttingDown) return reject("shutdown", "Server shutting down");
    const admission = this.limiter.acquire(ip);
    if (!admission.ok) {
      return reject(admission.reason, admission.reason === "max-connections" ? "Too many connections" : "Too many connections from your address");
    }
    this.tracker.add(socket);
    this.metrics?.connectionsTotal.inc({ protocol });
    this.metrics?.connectionsOpen.inc({ protocol });
    socket.setNoDelay(true);
    const transport: Transport = {
      write: (data) => socket.write(data),
      pendingBytes: () => socket.writableLength,
      pause: (paused) => (paused ? socket.pause() : socket.resume()),
      end: () => {
        socket.end();
        setTimeout(() => socket.destroy(), 2_000).unref();
      },
      destroy: () => socket.destroy(),
    };
    const client = this.addClient(transport, ip);
    const reader = new LineReader(maxTagBytes + maxBodyBytes);
    socket.on("data", (chunk: Buffer) => {
      reader.push(chunk, (event) => {
        if ("tooLong" in event) this.tooLong(client);
        else this.receive(client, event.line);
      });
    });
    socket.on("close", () => {
      this.limiter.release(ip);
      this.metrics?.connectionsOpen.dec({ protocol });
      this.disconnect(client, "Connection closed", { silent: true });
    });
  }

  /** Adds a connection that speaks IRC through transport (a socket or the console). */
  addClient(transport: Transport, ip: string): Client {
    const client = new Client(this.nextId++, transport, ip, this.flushQueue, this.limits.floodBurst, this.limits.floodRate);
    this.clients.add(client);
    return client;
  }

  private tooLong(client: Client): void {
    this.limitHit("line_length", client);
    this.reply(client, "417", "Input line was too long");
  }

  /** Takes one raw line from a client: checks its size, decodes it, queues it for flood control. */
  receive(client: Client, line: Buffer): void {
    if (client.closing) return;
    client.lastActivity = Date.now();
    client.pingSentAt = 0;
    let bodyStart = 0;
    if (line[0] === 64 /* @ */) {
      const space = line.indexOf(32);
      bodyStart = space < 0 ? line.length : space + 1;
      if (bodyStart - 1 > maxTagBytes) return this.tooLong(client);
    }
    // 510 bytes of content plus the CR LF that LineReader removed.
    if (line.length - bodyStart > maxBodyBytes - 2) return this.tooLong(client);
    let text = line.toString("utf8");
    if (text.includes("\0")) text = text.replaceAll("\0", "");
    client.inbox.push(text);
    this.drain(client);
  }

  /** Runs the client's queued lines again once a cluster nick claim is answered. */
  resume(client: Client): void {
    this.drain(client);
  }

  /** Runs queued lines while the client has flood tokens; the rest wait, and reading pauses. */
  private drain(client: Client): void {
    while (client.inbox.length > 0 && !client.closing && !client.held) {
      if (!client.bucket.take()) {
        if (!client.drainTimer) {
          this.limitHit("flood", client);
          client.drainTimer = setTimeout(() => {
            client.drainTimer = undefined;
            this.drain(client);
          }, client.bucket.waitMs());
        }
        if (!client.paused && client.inbox.length >= 8) {
          client.paused = true;
          client.transport.pause(true);
        }
        return;
      }
      this.dispatch(client, client.inbox.shift() as string);
    }
    if (client.paused) {
      client.paused = false;
      client.transport.pause(false);
    }
  }

  /** Parses and runs one command line. */
  dispatch(client: Client, line: string): void {
    this.stats.linesIn++;
    const message = parseMessage(line);
    if (!message) return;
    const command = commands.get(message.command);
    if (!command) {
      if (/^\d{3}$/.test(message.command)) return;
      if (!client.registered) return this.reply(client, "451", "You have not registered");
      return this.reply(client, "421", message.command, "Unknown command");
    }
    if (!client.registered && !command.beforeRegistration) return this.reply(client, "451", "You have not registered");
    if (message.params.length < command.minParams) return this.reply(client, "461", message.command, "Not enough parameters");
    command.run(this, client, message);
  }

  /** Sends a numeric reply: `:server CODE nick params...`; text goes after a colon. */
  reply(client: Client, code: string, ...params: string[]): void {
    const trailing = !tokenNumerics.has(code);
    client.send(formatMessage({ prefix: this.name, command: code, params: [client.nick, ...params] }, trailing) + "\r\n");
  }

  /** Sends a message from the server itself (NOTICE, PONG, CAP...). */
  sendFromServer(client: Client, command: string, ...params: string[]): void {
    client.send(formatMessage({ prefix: this.name, command, params }) + "\r\n");
  }

  /** A new event said by client (JOIN, PRIVMSG...), stamped with time and msgid. */
  said(client: Client, command: string, params: string[], clientTags?: Record<string, string>): Outgoing {
    return new Outgoing(client.mask, command, params, stamp(client.account, clientTags));
  }

  /** Sends message to client, rendered for its capabilities. */
  deliver(client: Client, message: Outgoing): void {
    client.send(message.lineFor(client.caps));
  }

  /** Everyone who shares a channel with client, each once, without client itself. */
  peersOf(client: Client): Set<Client> {
    const peers = new Set<Client>();
    for (const channel of client.channels) {
      for (const member of channel.members.keys()) if (member !== client) peers.add(member);
    }
    return peers;
  }

  /** Sends message to the client and everyone who shares a channel with it; `onlyCap` narrows peers to those with a capability. */
  toSelfAndPeers(client: Client, message: Outgoing, onlyCap = 0): void {
    if (!onlyCap || client.caps & onlyCap) this.deliver(client, message);
    for (const peer of this.peersOf(client)) if (!onlyCap || peer.caps & onlyCap) this.deliver(peer, message);
  }

  /** Lines sent to clients since the start. */
  linesSent(): number {
    let total = this.stats.linesOutClosed;
    for (const client of this.clients) total += client.linesSent;
    return total;
  }

  /** Remembers client's current nick for WHOWAS (on NICK change and on leaving). */
  rememberNick(client: Client): void {
    this.whowas.push({ nick: client.nick, user: client.user, host: client.host, realname: client.realname, at: Date.now() });
    if (this.whowas.length > whowasSize) this.whowas.shift();
  }

  findClient(nick: string): Client | undefined {
    const client = this.nicks.get(foldCase(nick));
    return client?.registered ? client : undefined;
  }

  findChannel(name: string): Channel | undefined {
    return this.channels.get(foldCase(name));
  }

  /** Removes client from channel, dropping the channel once empty. */
  leaveChannel(client: Client, channel: Channel): void {
    channel.members.delete(client);
    client.channels.delete(channel);
    if (channel.members.size === 0) this.channels.delete(channel.folded);
  }

  /**
   * Ends a client's session: peers see one QUIT each, the client gets ERROR with the
   * reason (unless the connection is already gone), then the connection closes.
   */
  disconnect(client: Client, reason: string, options: { silent?: boolean; quitMessage?: string } = {}): void {
    if (client.closing) return;
    if (client.registered) {
      this.rememberNick(client);
      const quit = this.said(client, "QUIT", [options.quitMessage ?? reason]);
      for (const peer of this.peersOf(client)) this.deliver(peer, quit);
    }
    for (const channel of [...client.channels]) this.leaveChannel(client, channel);
    if (this.nicks.get(foldCase(client.nick)) === client) this.nicks.delete(foldCase(client.nick));
    if (!options.silent) client.send(`ERROR :Closing Link: ${client.host} (${reason})\r\n`);
    // Its last lines (ERROR included) go out with the next flush, after their history is committed.
    if (!options.silent) this.ending.add(client);
    client.closing = true;
    client.inbox.length = 0;
    clearTimeout(client.drainTimer);
    this.clients.delete(client);
    this.stats.linesOutClosed += client.linesSent;
    const kind = reasonKind(reason);
    this.stats.disconnects.set(kind, (this.stats.disconnects.get(kind) ?? 0) + 1);
    this.logger.debug({ id: client.id, nick: client.nick, ip: client.ip, reason }, "disconnect");
    this.emit("disconnect", client, reason);
    if (options.silent) client.transport.destroy();
    else this.flushQueue.add(client);
  }

  /** Marks client registered and sends the welcome burst. */
  welcome(client: Client): void {
    client.registered = true;
    this.logger.debug({ id: client.id, nick: client.nick, ip: client.ip }, "registered");
    this.emit("registered", client);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    // One commit at a time: what arrives meanwhile waits for the next flush, so no client's lines are reordered.
    if (this.committing) {
      this.flushAgain = true;
      return;
    }
    this.lastFlush = performance.now();
    // Messages are durable before any client can see them.
    const committed = this.commitHistory();
    const clients = this.dirty.splice(0);
    if (!committed) {
      for (const client of clients) this.flushClient(client);
      return;
    }
    // An asynchronous store (Redis): this flush's output waits for the commit; later lines go into the next one.
    const taken = clients.map((client) => ({ client, ending: this.ending.delete(client), data: client.takeOutput() }));
    this.committing = committed.then(() => {
      this.committing = undefined;
      for (const { client, ending, data } of taken) this.writeOutput(client, ending, data);
      if (this.flushAgain) {
        this.flushAgain = false;
        this.scheduleFlush();
      }
    });
  };

  /** Writes pending history; a failing store is logged and counted, and delivery goes on. */
  private commitHistory(): Promise<void> | undefined {
    try {
      const committed = this.history.commit();
      if (committed) return committed.catch((error: unknown) => this.historyFailed(error));
    } catch (error) {
      this.historyFailed(error);
    }
    return undefined;
  }

  private historyFailed(error: unknown): void {
    this.limitHit("history_write");
    this.logger.error({ err: error }, "history write failed");
  }

  private flushClient(client: Client): void {
    this.writeOutput(client, this.ending.delete(client), client.takeOutput());
  }

  /** Writes a client's output; `ending`: its connection closes after it (disconnect). */
  private writeOutput(client: Client, ending: boolean, data: Buffer | undefined): void {
    if (ending) {
      if (data) client.transport.write(data);
      client.transport.end();
      return;
    }
    // A client disconnected while its output waited for a commit still gets it, before its ERROR.
    if ((client.closing && !this.ending.has(client)) || !data) return;
    // Only bytes left over from earlier turns count: a burst the client is reading is fine.
    if (client.transport.pendingBytes() > this.limits.sendQueueBytes) {
      this.limitHit("send_queue", client);
      this.disconnect(client, "SendQ exceeded", { silent: true });
      return;
    }
    this.stats.writes++;
    client.transport.write(data);
  }

  /** Closes registration and ping timeouts. */
  private sweep(): void {
    const now = Date.now();
    const { registrationTimeoutMs, pingIntervalMs, pingTimeoutMs } = this.limits;
    for (const client of this.clients) {
      if (client.ip === "console") continue;
      if (!client.registered) {
        if (now - client.connectedAt > registrationTimeoutMs) this.disconnect(client, "Registration timeout");
      } else if (client.pingSentAt) {
        if (now - client.pingSentAt > pingTimeoutMs) {
          this.disconnect(client, `Ping timeout: ${Math.round((now - client.lastActivity) / 1000)} seconds`);
        }
      } else if (now - client.lastActivity > pingIntervalMs) {
        client.pingSentAt = now;
        this.sendFromServer(client, "PING", this.name);
      }
    }
  }

  /**
   * Stops accepting, tells every client why with ERROR, and closes; connections still
   * open after graceMs are cut.
   */
  async close(options: { graceMs?: number; reason?: string } = {}): Promise<void> {
    const { graceMs = 5_000, reason = "Server shutting down" } = options;
    this.shuttingDown = true;
    clearInterval(this.sweepTimer);
    const closed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const client of [...this.clients]) {
      this.sendFromServer(client, "NOTICE", client.nick, `Server shutting down: ${reason}`);
      this.disconnect(client, reason);
    }
    const drained = await this.tracker.drain(graceMs);
    this.logger.info(drained, "closed");
    await Promise.all(closed);
    await this.cluster?.close();
    await this.committing;
    await this.commitHistory();
    this.history.close();
  }
}

/** A bounded label for the disconnect metric. */
function reasonKind(reason: string): string {
  if (reason.startsWith("Ping timeout")) return "ping_timeout";
  if (reason.startsWith("Quit")) return "quit";
  if (reason.startsWith("Killed")) return "killed";
  const known: Record<string, string> = {
    "Connection closed": "closed",
    "SendQ exceeded": "send_queue",
    "Registration timeout": "registration_timeout",
    "Bad password": "bad_password",
  };
  return known[reason] ?? "other";
}

/** Creates a chat server; call listen() to start it. */
export function createChatServer(options: ChatServerOptions = {}): ChatServer {
  return new ChatServer(options);
}

export { Cap };
