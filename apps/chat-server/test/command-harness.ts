import { pino } from "pino";
import { foldCase } from "../src/casemap.js";
import type { ClusterLink, DeviceEnd, DeviceLink } from "../src/cluster/link.js";
import { createCommandContext } from "../src/command-context.js";
import type { CommandContext } from "../src/commands/context.js";
import { Connection, type Transport } from "../src/connection.js";
import { Delivery } from "../src/delivery.js";
import { Dispatcher } from "../src/dispatcher.js";
import { noHistory, type HistoryEntry, type HistoryStore } from "../src/history.js";
import { MONITOR_LIMIT, MonitorRegistry } from "../src/monitor.js";
import { defaultLimits } from "../src/options.js";
import type { Change } from "../src/state/changes.js";
import type { ChannelClaim } from "../src/state/claims.js";
import type { User } from "../src/state/model.js";
import { Network } from "../src/state/network.js";
import { ReadMarkers } from "../src/read-markers.js";
import { UserCounts } from "../src/user-counts.js";
import type { ChannelInfo } from "../src/state/snapshot.js";

/** A claim the test answers when it wants to. */
export interface PendingClaim<T> {
  answer(value: T): void;
}

/**
 * A cluster link without Redis: records every change delivery hands it and answers claims
 * from what the test says other nodes hold (or holds them until the test answers).
 */
export class FakeLink implements ClusterLink {
  readonly changes: Change[] = [];
  readonly storesRemote = false;
  /** Folded nicks other nodes hold. */
  readonly takenNicks = new Set<string>();
  /** Channels other nodes created, by folded name, with their state. */
  readonly otherChannels = new Map<string, ChannelInfo>();
  private readonly claimedChannels = new Set<string>();
  /** When set, claims wait here for the test to answer them. */
  holdClaims = false;
  readonly pending: PendingClaim<boolean | ChannelClaim>[] = [];

  claimNick(_user: User, nick: string): Promise<boolean> {
    return this.answer(!this.takenNicks.has(foldCase(nick)));
  }

  claimChannel(name: string): Promise<ChannelClaim> {
    const folded = foldCase(name);
    const state = this.otherChannels.get(folded);
    if (state) return this.answer<ChannelClaim>({ created: false, state });
    // As SET NX in Redis: the first claim creates the channel, later ones find it.
    const created = !this.claimedChannels.has(folded);
    this.claimedChannels.add(folded);
    return this.answer<ChannelClaim>(created ? { created: true } : { created: false });
  }

  async start(): Promise<void> {}
  /** No other node runs devices here: a relayed device is closed at once. */
  relayDevice(_user: User, _ip: string, _caps: number, end: DeviceEnd): DeviceLink {
    end.closed("no cluster");
    return { send() {}, close() {} };
  }
  storedFirst(history: HistoryStore): HistoryStore {
    return history;
  }
  changed(change: Change): void {
    this.changes.push(change);
  }
  async close(): Promise<void> {}

  /** Changes made on this node (what a real link publishes), by kind. */
  published(kind?: Change["kind"]): Change[] {
    return this.changes.filter((change) => change.remote === undefined && (kind === undefined || change.kind === kind));
  }

  private answer<T extends boolean | ChannelClaim>(value: T): Promise<T> {
    if (!this.holdClaims) return Promise.resolve(value);
    return new Promise((resolve) => this.pending.push({ answer: (given) => resolve(given as T) }));
  }
}

/** A connection whose output the test reads as lines. */
export type TestConnection = Connection & { lines(): string[] };

const nowhere: Transport = { write() {}, pendingBytes: () => 0, pause() {}, end() {}, destroy() {} };

/**
 * The command handlers in-process, with no socket: the real network state, delivery and
 * command context, connections whose output is read directly, and optionally a fake link.
 */
export function commandHarness(options: { link?: FakeLink; nodeId?: string } = {}) {
  const { link } = options;
  const connections = new Set<Connection>();
  const stored: HistoryEntry[] = [];
  const closed: { connection: Connection; reason: string }[] = [];
  const monitors = new MonitorRegistry(MONITOR_LIMIT, (connection, numeric, ...params) => context.reply(connection, numeric, ...params));
  const delivery: Delivery = new Delivery({ store: (entry) => stored.push(entry), cluster: link, countMessage: () => {}, localUsers: (): Iterable<User> => network.localUsers(),
    unstore: () => {}, monitors });
  const network: Network = new Network({ nodeId: options.nodeId ?? "here", maxChannelsPerUser: 5 }, (change) => {
    delivery.apply(change);
    counts.observe(change);
  });
  const counts = new UserCounts(() => network.remoteUsers);
  const limits = { ...defaultLimits, floodRate: 0 };
  const disconnect = (connection: Connection, reason: string, quit?: { quitMessage?: string }): void => {
    if (connection.closing) return;
    network.detach(connection.user, connection, quit?.quitMessage ?? reason);
    connection.closing = true;
    connections.delete(connection);
    monitors.clear(connection);
    closed.push({ connection, reason });
  };
  const context: CommandContext = createCommandContext({
    server: { name: "irc.test", version: "test-1", createdAt: new Date(0), password: undefined, opers: { admin: "secret" }, motd: [], autoreplayLines: 0, utf8Only: true, description: "test server", servicesName: "services.irc.test", admin: {}, peaks: counts },
    limits,
    network,
    history: noHistory,
    logger: pino({ level: "silent" }),
    accounts: undefined,
    relayDevice: () => false,
    nickTaken: () => {},
    presence: undefined,
    markers: new ReadMarkers(undefined),
    claims: link,
    connections,
    monitors,
    resume: (connection) => dispatcher.drain(connection),
    registered: () => {},
    disconnect,
    limitHit: () => {},
  });
  const dispatcher = new Dispatcher(context, () => {});
  let nextId = 1;

  const connect = (): TestConnection => {
    const user = network.addUser("127.0.0.1");
    const owner = { queued() {}, maxGatheredBytes: 1 << 20, ended: (connection: Connection, reason: string) => disconnect(connection, reason, { quitMessage: reason }) };
    const connection = new Connection(nextId++, user, nowhere, "127.0.0.1", owner, limits.floodBurst, limits.floodRate);
    network.attach(user, connection);
    connections.add(connection);
    return Object.assign(connection, {
      lines: () => (connection.takeOutput()?.toString("utf8") ?? "").split("\r\n").filter(Boolean),
    });
  };

  /** Runs each line as a command of connection; a held connection queues it as the socket path does. */
  const run = (connection: Connection, ...lines: string[]): void => {
    for (const line of lines) {
      connection.inbox.push(line);
      dispatcher.drain(connection);
    }
  };

  return {
    network,
    context,
    stored,
    closed,
    connect,
    run,
    /** A registered user with caps, its welcome burst already read. */
    async user(nick: string, caps: string[] = []): Promise<TestConnection> {
      const connection = connect();
      if (caps.length) run(connection, "CAP LS 302", `CAP REQ :${caps.join(" ")}`, "CAP END");
      run(connection, `NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`);
      await settle();
      if (!connection.registered) throw new Error(`${nick} did not register: ${connection.lines().join(" | ")}`);
      connection.lines();
      return connection;
    },
  };
}

/** Lets claims and other promises answered by now run their continuations. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
