import { EventEmitter } from "node:events";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { packageVersion } from "@netlab/cli";
import type { Logger } from "@netlab/daemon";
import { formatMessage } from "@netlab/irc-protocol";
import { pino } from "pino";
import type { ClusterLink, DeviceEnd, DeviceLink } from "./cluster/link.js";
import { Accounts, defaultAccountsOptions } from "./accounts/accounts.js";
import { createCommandContext } from "./command-context.js";
import { welcomeDevice } from "./commands/devices.js";
import { NICKSERV } from "./commands/nickserv.js";
import { serviceNotice } from "./commands/service-notice.js";
import type { CommandContext } from "./commands/context.js";
import { Connection, hostOf, type ConnectionOwner, type Transport } from "./connection.js";
import { Delivery } from "./delivery.js";
import { Dispatcher } from "./dispatcher.js";
import { noHistory, type HistoryStore } from "./history.js";
import { Listeners, type ListenerAddress } from "./listeners.js";
import { registerChatMetrics, type ChatStats } from "./metrics.js";
import { MONITOR_LIMIT, MonitorRegistry } from "./monitor.js";
import { defaultLimits, type ChatLimits, type ChatServerOptions } from "./options.js";
import type { Channel, User } from "./state/model.js";
import { Network } from "./state/network.js";
import { OutputFlusher } from "./output-flusher.js";
import { NickGuard } from "./nick-guard.js";
import { PresenceKeeper } from "./presence-keeper.js";
import { ReadMarkers } from "./read-markers.js";
import { sweep, sweepPeriodMs } from "./sweeper.js";
import { UserCounts } from "./user-counts.js";
import { WebFiles } from "./web-files.js";

export interface ChatServerEvents {
  listening: [ListenerAddress];
  registered: [Connection];
  disconnect: [Connection, string];
}

/**
 * An IRC server: puts the parts together (listeners, connections, command dispatch, the
 * network state, delivery, history, the cluster link) and runs them. Create with
 * createChatServer, then listen().
 */
export class ChatServer extends EventEmitter<ChatServerEvents> {
  readonly name: string;
  readonly limits: ChatLimits;
  readonly logger: Logger;
  readonly createdAt = new Date();
  /** What 002, 004 and VERSION report: the package version, as `--version` prints it. */
  readonly version = `netlab-chat-server-${packageVersion(import.meta.url)}`;
  /** This node's connections, registered or not. */
  readonly clients = new Set<Connection>();
  readonly stats: ChatStats = { linesIn: 0, linesOutClosed: 0, writes: 0, messages: 0, disconnects: new Map(), limitHits: new Map() };
  /** Users, nicks and channels: of this node and, in a cluster, of the others. */
  readonly network: Network;
  readonly history: HistoryStore;
  /** Accounts, when the server keeps them. */
  readonly accounts: Accounts | undefined;
  /** Always-on users' presence in the account store. */
  private readonly presence: PresenceKeeper | undefined;
  /** Registered nicks kept for their accounts. */
  private readonly nickGuard: NickGuard | undefined;
  /** Cluster mode: this node's link to the others (undefined: one server alone). */
  readonly cluster: ClusterLink | undefined;
  private readonly delivery: Delivery;
  private readonly flusher: OutputFlusher;
  private readonly dispatcher: Dispatcher;
  private readonly sockets: Listeners<Connection>;
  private readonly context: CommandContext;
  /** One for every connection: a connection of its own would cost two closures and an object per client. */
  private readonly connectionOwner: ConnectionOwner;
  private readonly monitors = new MonitorRegistry(MONITOR_LIMIT, (connection, numeric, ...params) => this.context.reply(connection, numeric, ...params));
  /** Users here and on the network now and at most, for LUSERS. */
  private readonly userCounts = new UserCounts(() => this.network.remoteUsers);
  private nextId = 1;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: ChatServerOptions = {}) {
    super();
    this.name = options.serverName ?? os.hostname();
    this.limits = { ...defaultLimits, ...options.limits };
    this.connectionOwner = {
      queued: (connection) => this.flusher.queue(connection),
      ended: (connection, reason) => this.disconnect(connection, reason, { quitMessage: reason }),
      // A burst of replies (CHATHISTORY, NAMES of a large channel) may pass the send queue; four times it may not.
      maxGatheredBytes: 4 * this.limits.sendQueueBytes,
    };
    this.logger = options.logger ?? pino({ level: "silent" });
    const nodeId = options.cluster?.nodeId ?? "local";
    this.network = new Network({ nodeId, maxChannelsPerUser: this.limits.maxChannelsPerClient }, (change) => {
      this.delivery.apply(change);
      this.userCounts.observe(change);
      this.presence?.observe(change);
    });
    this.cluster = options.cluster?.attach({
      network: this.network,
      logger: this.logger,
      registry: options.metrics?.registry,
      notice: (user, text) => this.notice(user, text),
      openDevice: (user, ip, caps, link) => this.openDevice(user, ip, caps, link),
      nodeCleaned: () => void this.presence?.restoreAll().catch((error: unknown) => this.logger.warn({ err: error }, "cannot bring back always-on users")),
    });
    // Other nodes get a message only once it is stored, as local clients do.
    this.history = this.cluster ? this.cluster.storedFirst(options.history ?? noHistory) : (options.history ?? noHistory);
    this.flusher = new OutputFlusher(this.history, this.limits.flushIntervalMs, this.limits.sendQueueBytes, {
      overflowed: (connection) => {
        this.limitHit("send_queue", connection);
        this.disconnect(connection, "SendQ exceeded", { silent: true });
      },
      historyFailed: (error) => {
        this.limitHit("history_write");
        this.logger.error({ err: error }, "history write failed");
      },
      wrote: () => this.stats.writes++,
    });
    this.delivery = new Delivery({
      store: (entry) => this.flusher.store(entry),
      unstore: (key, msgid) => void this.history.remove(key, msgid).catch((error: unknown) => this.logger.error({ err: error }, "history removal failed")),
      cluster: this.cluster,
      countMessage: () => this.stats.messages++,
      localUsers: () => this.network.localUsers(),
      monitors: this.monitors,
    });
    this.accounts = options.accounts && new Accounts({ ...defaultAccountsOptions, ...options.accounts });
    this.presence = this.accounts && new PresenceKeeper({ store: this.accounts.store, network: this.network, claims: this.cluster, logger: this.logger });
    const graceMs = this.accounts?.options.nickGraceMs ?? 0;
    this.nickGuard =
      this.accounts && graceMs > 0
        ? new NickGuard({ store: this.accounts.store, network: this.network, claims: this.cluster, logger: this.logger, graceMs, notice: (user, text) => this.fromNickServ(user, text) })
        : undefined;
    this.context = this.commandContext();
    this.dispatcher = new Dispatcher(this.context, () => this.stats.linesIn++);
    this.sockets = new Listeners(
      { maxConnections: this.limits.maxConnections, maxPerAddress: this.limits.maxPerAddress, logger: this.logger, metrics: options.metrics },
      {
        open: (transport, ip, certfp) => this.addClient(transport, ip, certfp),
        line: (connection, line) => this.dispatcher.receive(connection, line),
        tooLong: (connection) => this.dispatcher.tooLong(connection),
        closed: (connection) => this.disconnect(connection, "Connection closed", { silent: true }),
        refused: (kind) => this.limitHit(kind),
      },
    );
    if (options.metrics) registerChatMetrics(options.metrics.registry, this);
  }

  /** Starts the plain listener and, with TLS options, the TLS one. */
  async listen(): Promise<ListenerAddress[]> {
    const host = this.options.host ?? "127.0.0.1";
    // Join the cluster first, so the first users' nicks are claimed network-wide.
    await this.cluster?.start();
    // Always-on users come back on their channels before anyone can take their nicks.
    if (this.presence) {
      const restored = await this.presence.restoreAll().catch((error: unknown) => {
        this.logger.warn({ err: error }, "cannot bring back always-on users");
        return 0;
      });
      if (restored > 0) this.logger.info({ users: restored }, "always-on users back");
      this.presence.start();
    }
    this.emit("listening", await this.sockets.listen(net.createServer(), host, this.options.port ?? 6667, "irc"));
    const tlsOptions = this.options.tls;
    if (tlsOptions) {
      // A client certificate is asked for, never required: its fingerprint can log in (SASL EXTERNAL).
      const server = tls.createServer({ cert: tlsOptions.cert, key: tlsOptions.key, requestCert: true, rejectUnauthorized: false });
      this.emit("listening", await this.sockets.listen(server, host, tlsOptions.port ?? 6697, "ircs"));
    }
    const websocket = this.options.websocket;
    if (websocket) {
      // With TLS the WebSocket listener is HTTPS too: browsers on an https page may only open wss:.
      const server = tlsOptions ? https.createServer({ cert: tlsOptions.cert, key: tlsOptions.key }) : http.createServer();
      const files = websocket.webClient === undefined ? undefined : new WebFiles(websocket.webClient);
      const listenerOptions = { origins: websocket.origins ?? [], trustedProxies: websocket.trustedProxies ?? [], files };
      this.emit("listening", await this.sockets.listenWebSocket(server, websocket.host ?? host, websocket.port, tlsOptions ? "wss" : "ws", listenerOptions));
    }
    this.sweepTimer = setInterval(() => this.sweep(), sweepPeriodMs(this.limits));
    this.sweepTimer.unref();
    return [...this.sockets.addresses];
  }

  /** The plain listener's address (the first one). */
  address(): ListenerAddress | undefined {
    return this.sockets.addresses[0];
  }

  allAddresses(): ListenerAddress[] {
    return [...this.sockets.addresses];
  }

  /** The registered user holding nick, of this node or another. */
  findClient(nick: string): User | undefined {
    return this.network.findUser(nick);
  }

  findChannel(name: string): Channel | undefined {
    return this.network.findChannel(name);
  }

  /** Lines sent to clients since the start. */
  linesSent(): number {
    let total = this.stats.linesOutClosed;
    for (const connection of this.clients) total += connection.linesSent;
    return total;
  }

  channelCount(): number {
    return this.network.channelCount;
  }

  /** Counts a limit being hit, for logs and metrics. */
  limitHit(kind: string, connection?: Connection): void {
    this.stats.limitHits.set(kind, (this.stats.limitHits.get(kind) ?? 0) + 1);
    this.logger.warn({ limit: kind, ip: connection?.ip, nick: connection?.nick }, "limit reached");
  }

  /** Adds a connection that speaks IRC through transport (a socket or the console), with a new user. */
  addClient(transport: Transport, ip: string, certfp?: string): Connection {
    const user = this.network.addUser(hostOf(ip));
    const connection = new Connection(this.nextId++, user, transport, ip, this.connectionOwner, this.limits.floodBurst, this.limits.floodRate, certfp);
    this.network.attach(user, connection);
    this.clients.add(connection);
    return connection;
  }

  /** A device on another node of a user of this node: a connection here whose bytes travel over the cluster link. */
  private openDevice(user: User, ip: string, caps: number, link: DeviceLink): DeviceEnd | undefined {
    if (!user.registered || user.home !== undefined) return undefined;
    const transport: Transport = { write: (data) => link.send(data), pendingBytes: () => 0, pause: () => {}, end: () => link.close(), destroy: () => link.close() };
    // Flood control ran on the device's node.
    const connection = new Connection(this.nextId++, user, transport, ip, this.connectionOwner, 1, 0);
    connection.caps = caps;
    const missedSince = user.awaySince;
    this.network.attach(user, connection);
    this.clients.add(connection);
    welcomeDevice(this.context, connection, missedSince);
    return {
      take: (data) => this.dispatcher.receive(connection, Buffer.isBuffer(data) ? data : Buffer.from(data)),
      closed: (reason) => this.disconnect(connection, reason, { silent: true }),
    };
  }

  /** This node's connection becomes a device of user, of another node (cluster mode). */
  private relayDevice(connection: Connection, user: User): boolean {
    if (!this.cluster || user.home === undefined) return false;
    connection.relay = this.cluster.relayDevice(user, connection.ip, connection.caps, {
      take: (data) => connection.transport.write(Buffer.isBuffer(data) ? data : Buffer.from(data)),
      closed: (reason) => this.disconnect(connection, reason, { noError: true }),
    });
    return true;
  }

  /** Runs one command line from connection (the console's way in). */
  dispatch(connection: Connection, line: string): void {
    this.dispatcher.dispatch(connection, line);
  }

  /**
   * Closes a connection: its user quits (peers see one QUIT each) once it has no other, the
   * connection gets ERROR with the reason (unless it is already gone), then it closes.
   */
  disconnect(connection: Connection, reason: string, options: { silent?: boolean; noError?: boolean; quitMessage?: string } = {}): void {
    if (connection.closing) return;
    const { user } = connection;
    connection.relay?.close();
    connection.relay = undefined;
    this.network.detach(user, connection, options.quitMessage ?? reason);
    if (!options.silent && !options.noError) connection.send(`ERROR :Closing Link: ${user.host} (${reason})\r\n`);
    connection.closing = true;
    connection.inbox.length = 0;
    clearTimeout(connection.drainTimer);
    this.clients.delete(connection);
    this.monitors.clear(connection);
    this.stats.linesOutClosed += connection.linesSent;
    const kind = reasonKind(reason);
    this.stats.disconnects.set(kind, (this.stats.disconnects.get(kind) ?? 0) + 1);
    this.logger.debug({ id: connection.id, nick: user.nick, ip: connection.ip, reason }, "disconnect");
    this.emit("disconnect", connection, reason);
    // Its last lines (ERROR included) go out with the next flush, after their history is committed.
    if (options.silent) connection.transport.destroy();
    else this.flusher.endAfterFlush(connection);
  }

  /**
   * Stops accepting, tells every client why with ERROR, and closes; connections still
   * open after graceMs are cut.
   */
  async close(options: { graceMs?: number; reason?: string } = {}): Promise<void> {
    const { graceMs = 5_000, reason = "Server shutting down" } = options;
    clearInterval(this.sweepTimer);
    this.presence?.stop();
    this.nickGuard?.stop();
    const stopped = this.sockets.stop();
    for (const connection of [...this.clients]) {
      this.context.sendFromServer(connection, "NOTICE", connection.nick, `Server shutting down: ${reason}`);
      this.disconnect(connection, reason);
    }
    const drained = await this.sockets.drain(graceMs);
    this.logger.info(drained, "closed");
    await stopped;
    await this.cluster?.close();
    await this.flusher.settle();
    await this.history.close();
    await this.accounts?.store.close();
  }

  /** A NOTICE from the server to each connection of a local user. */
  private notice(user: User, text: string): void {
    const line = formatMessage({ prefix: this.name, command: "NOTICE", params: [user.nick, text] }) + "\r\n";
    for (const session of user.sessions) session.send(line);
  }

  /** A NOTICE from NickServ to each connection of a local user. */
  private fromNickServ(user: User, text: string): void {
    const line = serviceNotice(NICKSERV, this.context.server.servicesName, user.nick, text);
    for (const session of user.sessions) session.send(line);
  }

  private sweep(): void {
    sweep(this.clients, this.limits, {
      disconnect: (connection, reason) => this.disconnect(connection, reason),
      ping: (connection) => this.context.sendFromServer(connection, "PING", this.name),
    });
  }

  /** The narrow view of this server that commands get. */
  private commandContext(): CommandContext {
    const { options } = this;
    return createCommandContext({
      server: {
        name: this.name,
        version: this.version,
        createdAt: this.createdAt,
        password: options.password,
        opers: options.opers ?? {},
        motd: options.motd ?? [],
        autoreplayLines: options.autoreplayLines ?? 10,
        utf8Only: options.utf8Only ?? true,
        description: options.description ?? "netlab chat server",
        servicesName: options.servicesName ?? `services.${this.name}`,
        admin: options.admin ?? {},
        peaks: this.userCounts,
      },
      limits: this.limits,
      network: this.network,
      history: this.history,
      logger: this.logger,
      claims: this.cluster,
      accounts: this.accounts,
      presence: this.presence,
      markers: new ReadMarkers(this.accounts?.store),
      connections: this.clients,
      monitors: this.monitors,
      resume: (connection) => this.dispatcher.drain(connection),
      relayDevice: (connection, user) => this.relayDevice(connection, user),
      nickTaken: (user) => this.nickGuard?.check(user),
      registered: (connection) => this.emit("registered", connection),
      disconnect: (connection, reason, disconnectOptions) => this.disconnect(connection, reason, disconnectOptions),
      limitHit: (kind, connection) => this.limitHit(kind, connection),
    });
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
