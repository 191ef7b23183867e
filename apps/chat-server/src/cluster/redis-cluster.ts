import { createHash } from "node:crypto";
import { Redis, type ChainableCommander } from "ioredis";
import { foldCase } from "../casemap.js";
import type { HistoryStore } from "../history.js";
import type { Outgoing } from "../outgoing.js";
import type { Change } from "../state/changes.js";
import type { ChannelClaim } from "../state/claims.js";
import type { Channel, User } from "../state/model.js";
import { isChannel } from "../state/network.js";
import { channelInfo, userInfo, type ChannelInfo, type UserInfo } from "../state/snapshot.js";
import { ClusterError } from "./cluster-error.js";
import { toWire, type ClusterEvent } from "./events.js";
import { claimScript, ClusterKeys, releaseScript } from "./keys.js";
import type { ClusterFactory, ClusterHost, ClusterLink, DeviceEnd, DeviceLink } from "./link.js";
import { registerClusterMetrics, type ClusterStats } from "./metrics.js";
import { applyRemoteEvent } from "./remote-events.js";

export interface RedisClusterOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** This node's id, unique in the network (no `/`); hostname-pid-random by default (cli.ts). */
  nodeId: string;
  /** A node silent for this long is lost: its users quit everywhere (5000 by default). */
  leaseMs?: number;
  /** Prefix of every key and pub/sub channel ("netlab" by default): several networks can share one Redis. */
  prefix?: string;
  /** Also keep messages from other nodes in this node's history (when history is per node, e.g. SQLite). */
  storeRemote?: boolean;
}

/** Why users of a lost node leave, as IRC servers say after a netsplit. */
const splitReason = "*.net *.split";
/** Longest wait between reconnection attempts: a node is back well within a peer's lease. */
const maxRetryMs = 1_000;
/** Longest wait for a Redis reply; then the command fails and the node goes on alone. */
const commandTimeoutMs = 2_000;
/** How long an event may wait for a flush before it is sent without one. */
const unflushedMs = 20;
/** How long start() waits for Redis before serving local users alone. */
const startWaitMs = 3_000;

const ignore = (): void => {};

/** Cluster mode on Redis: nick ownership, node leases and the users' state in keys; events over pub/sub. */
export function redisCluster(options: RedisClusterOptions): ClusterFactory {
  if (options.nodeId.includes("/") || !options.nodeId) {
    throw new ClusterError("invalid_node_id", options.nodeId, `invalid cluster node id "${options.nodeId}": it must be non-empty, without "/"`);
  }
  return { nodeId: options.nodeId, attach: (host) => new RedisCluster(host, options) };
}

export class RedisCluster implements ClusterLink {
  readonly nodeId: string;
  readonly leaseMs: number;
  /** Renewal and check period: lease/6. */
  private readonly tickMs: number;
  /** The lease key's lifetime, lease - tick: a dead node's key is gone and seen gone within one lease of its death. */
  private readonly keyMs: number;
  readonly stats: ClusterStats = { up: false, outages: 0, published: 0, received: 0, dropped: 0, nodesLost: 0, nickCollisions: 0 };
  private readonly keys: ClusterKeys;
  private readonly redis: Redis;
  private readonly sub: Redis;
  /** What Redis holds for each local user, as last written. */
  private readonly saved = new Map<string, UserInfo>();
  /** Nodes already found lost, so each is reported once. */
  private readonly lost = new Set<string>();
  /** Events waiting for the server's next history commit (its flush), then sent together. */
  private readonly outbox: { channel: string; text: string }[] = [];
  private committing = 0;
  private fallback: NodeJS.Timeout | undefined;
  private readonly tag: string;
  /** How this node's batches of events start: `{"n":"<node id>","e":[`. */
  private readonly batchHead: string;
  readonly storesRemote: boolean;
  private timer: NodeJS.Timeout | undefined;
  private syncing = false;
  private everUp = false;
  private lastUp = 0;
  private closed = false;
  private firstUp: () => void = ignore;
  /** Devices relayed between this node and another, by id: those here of users there, and those there of users here. */
  private readonly devices = new Map<string, { node: string; end: DeviceEnd }>();
  private nextDevice = 0;

  constructor(
    private readonly host: ClusterHost,
    options: RedisClusterOptions,
  ) {
    this.nodeId = options.nodeId;
    this.leaseMs = options.leaseMs ?? 5_000;
    this.tickMs = Math.max(50, Math.floor(this.leaseMs / 6));
    this.keyMs = this.leaseMs - this.tickMs;
    this.keys = new ClusterKeys(options.prefix ?? "netlab");
    this.storesRemote = options.storeRemote ?? false;
    this.batchHead = `{"n":${JSON.stringify(this.nodeId)},"e":[`;
    this.tag = createHash("sha1").update(this.nodeId).digest("hex").slice(0, 4);
    const redisOptions = {
      lazyConnect: true,
      // Commands fail at once while Redis is away: local users must not wait for it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), maxRetryMs),
    };
    // A Redis that stops answering without closing must not hold a client's NICK or JOIN for long.
    this.redis = new Redis(options.url, { ...redisOptions, enableAutoPipelining: true, commandTimeout: commandTimeoutMs, connectionName: `chat-${this.nodeId}` });
    this.sub = new Redis(options.url, { ...redisOptions, enableOfflineQueue: true, connectionName: `chat-${this.nodeId}-sub` });
    for (const connection of [this.redis, this.sub]) {
      connection.on("ready", this.connectionChanged);
      connection.on("close", this.connectionChanged);
      connection.on("error", (error: Error) => host.logger.debug({ err: error.message }, "redis connection error"));
    }
    this.sub.on("message", this.receive);
    if (host.registry) registerClusterMetrics(host.registry, this);
  }

  private get network() {
    return this.host.network;
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => (this.firstUp = resolve));
    this.redis.connect().catch(ignore);
    this.sub.connect().catch(ignore);
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, startWaitMs)))]);
    clearTimeout(waited);
    if (!this.stats.up) this.host.logger.warn({ node: this.nodeId }, "redis down: serving local users until it is back");
  }

  remoteUsers(): number {
    return this.network.remoteUsers;
  }

  async claimNick(user: User, nick: string): Promise<boolean> {
    // While Redis is away the local view decides; the nick is claimed again on reconnect.
    if (!this.stats.up) return true;
    const { uid } = user;
    try {
      if ((await this.redis.eval(claimScript, 1, this.keys.nick(foldCase(nick)), uid)) !== 1) return false;
    } catch {
      return true;
    }
    // The user left while the claim was in flight.
    if (this.network.byUid(uid) !== user) {
      this.releaseNick(nick, uid);
      return false;
    }
    if (user.nick !== "*" && foldCase(user.nick) !== foldCase(nick)) this.releaseNick(user.nick, uid);
    return true;
  }

  async claimChannel(name: string): Promise<ChannelClaim> {
    if (!this.stats.up) return { created: true };
    const info: ChannelInfo = { name, modes: "nt", bans: [], invited: [] };
    let existing: string | null;
    try {
      // One round trip: sets the key when absent, else returns the state another node stored.
      existing = await this.redis.set(this.keys.channel(foldCase(name)), JSON.stringify(info), "NX", "GET");
    } catch {
      return { created: true };
    }
    if (existing === null) return { created: true };
    try {
      return { created: false, state: JSON.parse(existing) as ChannelInfo };
    } catch {
      return { created: false };
    }
  }

  changed(change: Change): void {
    if (change.remote !== undefined) return this.theirChange(change);
    const n = this.nodeId;
    switch (change.kind) {
      case "register":
        this.publish({ t: "user", n, u: this.saveUser(change.user) });
        return;
      case "nick":
        this.publish({ t: "nick", n, u: change.user.uid, nick: change.user.nick, m: toWire(change.message) });
        this.saveUser(change.user);
        return;
      case "join": {
        const { user, channel } = change;
        const info = channelInfo(channel);
        this.publish({ t: "join", n, u: user.uid, f: channel.members.get(user) ?? 0, c: info, m: toWire(change.message) });
        this.saveUser(user);
        if (channel.members.size === 1) this.saveChannel(channel.folded, info);
        return;
      }
      case "part":
        this.publish({ t: "part", n, u: change.user.uid, c: change.channel.name, m: toWire(change.message) });
        if (change.user.home === undefined) this.saveUser(change.user);
        if (!this.network.findChannel(change.channel.name)) this.dropChannel(change.channel.folded);
        return;
      case "quit":
        return this.quit(change.user, change.message);
      case "channel":
        return this.channelChanged(change.channel, change.message);
      case "invite": {
        const info = channelInfo(change.channel);
        this.publish({ t: "invite", n, c: info, to: change.target.uid, m: toWire(change.message) });
        this.saveChannel(change.channel.folded, info);
        return;
      }
      case "away":
      case "account":
      case "setname":
      case "chghost":
        this.publish({ t: "user", n, u: this.saveUser(change.user), m: toWire(change.message) });
        return;
      case "umode":
        this.publish({ t: "user", n, u: this.saveUser(change.user) });
        return;
      case "wallops":
        this.publish({ t: "wallops", n, m: toWire(change.message) });
        return;
      case "redact": {
        const { target, key, msgid, message } = change;
        if (isChannel(target)) this.publish({ t: "redact", n, c: target.name, key, msgid, m: toWire(message) });
        else if (target.home !== undefined) this.publish({ t: "redact", n, to: target.uid, key, msgid, m: toWire(message) }, this.keys.direct(target.home));
        return;
      }
      case "sethost":
        if (change.user.home !== undefined) this.publish({ t: "sethost", n, u: change.user.uid, user: change.name, host: change.host }, this.keys.direct(change.user.home));
        return;
      case "message": {
        const { target, message } = change;
        if (isChannel(target)) this.publish({ t: "msg", n, c: target.name, only: change.audience, m: toWire(message) });
        else this.toUser(target, message);
        return;
      }
      case "unclaim":
        this.releaseNick(change.nick, change.user.uid);
        return;
      case "kill":
        if (change.target.home !== undefined) this.publish({ t: "kill", n, u: change.target.uid, reason: change.reason, m: toWire(change.message) }, this.keys.direct(change.target.home));
        return;
    }
  }

  /** Another node's change touched users of this node (a KICK, new member flags): their state in Redis follows. */
  private theirChange(change: Change): void {
    if (change.kind === "part" && change.user.home === undefined) this.saveUser(change.user);
    if (change.kind === "channel") this.saveFlags(change.channel);
  }

  /** A channel's topic, modes, member flags or invites changed here; message tells its members. */
  private channelChanged(channel: Channel, message?: Outgoing): void {
    const info = channelInfo(channel);
    let flags: Record<string, number> | undefined;
    if (message?.command === "MODE") {
      flags = {};
      for (const [member, bits] of channel.members) flags[member.uid] = bits;
      this.saveFlags(channel);
    }
    this.publish({ t: "chan", n: this.nodeId, c: info, f: flags, m: message && toWire(message) });
    this.saveChannel(channel.folded, info);
  }

  /** Saves the local members whose flags on channel differ from what Redis holds. */
  private saveFlags(channel: Channel): void {
    for (const [member, bits] of channel.members) {
      if (member.home === undefined && this.saved.get(member.uid)?.channels[channel.name] !== bits) this.saveUser(member);
    }
  }

  /** A line for a user of another node (PRIVMSG, NOTICE, TAGMSG, INVITE): its node delivers it. */
  private toUser(target: User, message: Outgoing): void {
    if (target.home === undefined) return;
    this.publish({ t: "msg", n: this.nodeId, to: target.uid, m: toWire(message) }, this.keys.direct(target.home));
  }

  relayDevice(user: User, ip: string, caps: number, end: DeviceEnd): DeviceLink {
    const id = `${this.nodeId}/d${++this.nextDevice}`;
    const home = user.home ?? this.nodeId;
    this.devices.set(id, { node: home, end });
    this.sendNow({ t: "dev+", n: this.nodeId, d: id, u: user.uid, ip, caps }, home);
    return this.deviceLink(id, home, (data) => ({ t: "dev>", n: this.nodeId, d: id, l: String(data) }));
  }

  /** What one side of device id sends to the other side, on node. */
  private deviceLink(id: string, node: string, event: (data: Buffer | string) => ClusterEvent): DeviceLink {
    return {
      send: (data) => {
        if (this.devices.has(id)) this.sendNow(event(data), node);
      },
      close: (reason) => {
        if (this.devices.delete(id)) this.sendNow(reason === undefined ? { t: "dev-", n: this.nodeId, d: id } : { t: "dev-", n: this.nodeId, d: id, r: reason }, node);
      },
    };
  }

  /** Device news: straight to the one node concerned, not held for a history commit (a device's lines and output carry no history). */
  private sendNow(event: ClusterEvent, node: string): void {
    if (!this.stats.up) return;
    this.stats.published++;
    this.redis.publish(this.keys.direct(node), `${this.batchHead}${JSON.stringify(event)}]}`).catch(ignore);
  }

  /** Device events from another node. */
  private device(event: Extract<ClusterEvent, { t: "dev+" | "dev>" | "dev<" | "dev-" }>): void {
    switch (event.t) {
      case "dev+": {
        const user = this.network.byUid(event.u);
        const link = this.deviceLink(event.d, event.n, (data) => ({ t: "dev<", n: this.nodeId, d: event.d, b: Buffer.from(data).toString("base64") }));
        // Registered here first, so output the host writes at once reaches it.
        this.devices.set(event.d, { node: event.n, end: { take: ignore, closed: ignore } });
        const end = user && user.home === undefined ? this.host.openDevice(user, event.ip, event.caps, link) : undefined;
        if (end) this.devices.set(event.d, { node: event.n, end });
        else link.close("Your user is no longer on its server");
        return;
      }
      case "dev>":
        this.devices.get(event.d)?.end.take(event.l);
        return;
      case "dev<":
        this.devices.get(event.d)?.end.take(Buffer.from(event.b, "base64"));
        return;
      case "dev-": {
        const entry = this.devices.get(event.d);
        this.devices.delete(event.d);
        entry?.end.closed(event.r ?? "Device closed");
        return;
      }
    }
  }

  /** A node left or was lost: the devices relayed with it close on this side. */
  private dropDevices(node: string): void {
    for (const [id, entry] of [...this.devices]) {
      if (entry.node !== node) continue;
      this.devices.delete(id);
      entry.end.closed("Your user's server left the network");
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.stats.up) {
      this.publish({ t: "bye", n: this.nodeId });
      clearTimeout(this.fallback);
      this.send(this.outbox.splice(0));
      const id = this.nodeId;
      await this.redis.multi().del(this.keys.lease(id), this.keys.users(id)).srem(this.keys.nodes, id).exec().catch(ignore);
    }
    this.stats.up = false;
    for (const connection of [this.redis, this.sub]) await connection.quit().catch(() => connection.disconnect());
  }

  /** A user of this node left: its nick is free, and (if it had registered) the others see it quit. */
  private quit(user: User, message: Outgoing): void {
    if (user.home !== undefined) return;
    const { uid } = user;
    if (user.nick !== "*") this.releaseNick(user.nick, uid);
    if (!user.registered) return;
    this.publish({ t: "quit", n: this.nodeId, u: uid, m: toWire(message) });
    const info = this.saved.get(uid);
    this.saved.delete(uid);
    if (!this.stats.up) return;
    this.redis.hdel(this.keys.users(this.nodeId), uid).catch(ignore);
    for (const name of Object.keys(info?.channels ?? {})) if (!this.network.findChannel(name)) this.dropChannel(foldCase(name));
  }

  /** Writes a local user's state to Redis and returns it. */
  private saveUser(user: User): UserInfo {
    const info = userInfo(user);
    if (!user.registered || this.network.byUid(user.uid) !== user) return info;
    this.saved.set(user.uid, info);
    if (this.stats.up) this.redis.hset(this.keys.users(this.nodeId), user.uid, JSON.stringify(info)).catch(ignore);
    return info;
  }

  private saveChannel(folded: string, info: ChannelInfo): void {
    if (this.stats.up) this.redis.set(this.keys.channel(folded), JSON.stringify(info)).catch(ignore);
  }

  private dropChannel(folded: string): void {
    if (this.stats.up) this.redis.del(this.keys.channel(folded)).catch(ignore);
  }

  private releaseNick(nick: string, uid: string): void {
    if (this.stats.up) this.redis.eval(releaseScript, 1, this.keys.nick(foldCase(nick)), uid).catch(ignore);
  }

  private publish(event: ClusterEvent, channel = this.keys.events): void {
    if (!this.stats.up) {
      this.stats.dropped++;
      return;
    }
    this.stats.published++;
    this.outbox.push({ channel, text: JSON.stringify(event) });
    this.fallback ??= setTimeout(this.sendUncommitted, unflushedMs);
  }

  storedFirst(history: HistoryStore): HistoryStore {
    const commit = (): void | Promise<void> => {
      // What is in the outbox now carries messages this commit stores; later events wait for the next one.
      const batch = this.outbox.splice(0);
      const send = (): void => {
        this.committing--;
        this.send(batch);
      };
      this.committing++;
      let done: void | Promise<void>;
      try {
        done = history.commit();
      } catch (error) {
        send();
        throw error;
      }
      if (!done) return send();
      // A failed commit is logged by the server, and delivery goes on, here as on the local node.
      return done.finally(send);
    };
    return {
      enabled: history.enabled,
      append: (entry) => history.append(entry),
      commit,
      find: (key, msgid) => history.find(key, msgid),
      range: (key, range) => history.range(key, range),
      targets: (nick, channelKeys, after, before, limit) => history.targets(nick, channelKeys, after, before, limit),
      remove: (key, msgid) => history.remove(key, msgid),
      close: () => history.close(),
    };
  }

  /** Events no flush took (a QUIT nobody here saw): sent once no commit is in flight. */
  private readonly sendUncommitted = (): void => {
    this.fallback = undefined;
    if (this.outbox.length === 0) return;
    if (this.committing > 0) this.fallback = setTimeout(this.sendUncommitted, unflushedMs);
    else this.send(this.outbox.splice(0));
  };

  /** One PUBLISH per run of events for the same pub/sub channel, in order. */
  private send(batch: { channel: string; text: string }[]): void {
    for (let i = 0; i < batch.length; ) {
      const channel = batch[i]?.channel ?? "";
      const texts: string[] = [];
      for (; batch[i]?.channel === channel; i++) texts.push(batch[i]?.text ?? "");
      this.redis.publish(channel, `${this.batchHead}${texts.join(",")}]}`).catch(ignore);
    }
  }

  private readonly receive = (_channel: string, text: string): void => {
    // Every node hears its own events on the shared channel: skip them unparsed.
    if (text.startsWith(this.batchHead)) return;
    let batch: { n: string; e: ClusterEvent[] };
    try {
      batch = JSON.parse(text) as { n: string; e: ClusterEvent[] };
    } catch {
      return;
    }
    if (!Array.isArray(batch.e)) return;
    for (const event of batch.e) this.apply(event);
  };

  private apply(event: ClusterEvent): void {
    this.stats.received++;
    if (event.t === "hello") {
      this.lost.delete(event.n);
      this.reloadNode(event.n).catch((error: unknown) => this.host.logger.warn({ err: error, node: event.n }, "cannot read a node's users"));
      return;
    }
    if (event.t === "bye") {
      this.dropDevices(event.n);
      this.network.remote.forgetNode(event.n, "Node closed");
      return;
    }
    if (event.t === "dev+" || event.t === "dev>" || event.t === "dev<" || event.t === "dev-") return this.device(event);
    applyRemoteEvent(this.network, event);
  }

  private readonly connectionChanged = (): void => {
    if (this.closed) return;
    const ready = this.redis.status === "ready" && this.sub.status === "ready";
    if (!ready && this.stats.up) {
      this.stats.up = false;
      this.stats.outages++;
      this.host.logger.warn({ node: this.nodeId }, "redis down");
    } else if (ready && !this.stats.up) this.startSync();
  };

  private startSync(): void {
    if (this.syncing || this.closed) return;
    this.syncing = true;
    this.sync()
      .catch((error: unknown) => {
        this.stats.up = false;
        this.host.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "cluster sync failed; retrying");
      })
      .finally(() => (this.syncing = false));
  }

  /**
   * Joins the network, or rejoins it after Redis came back: claims every local nick again
   * (a user whose nick went to someone else meanwhile is renamed), writes this node's users,
   * rebuilds the view of the others from their keys, and says hello so they read ours.
   */
  private async sync(): Promise<void> {
    const { keys, nodeId: id } = this;
    await this.sub.subscribe(keys.events, keys.direct(id));
    await this.redis.multi().set(keys.lease(id), String(Date.now()), "PX", this.keyMs).sadd(keys.nodes, id).exec();
    await this.reclaimNicks();
    this.stats.up = true;
    this.lastUp = Date.now();
    // Users who left while Redis was away: free their nicks, and the channels they emptied.
    const before = await this.readUsers(id);
    const write = this.redis.multi();
    this.forgetUsers(write, before.filter((info) => this.network.byUid(info.uid)?.registered !== true));
    write.del(keys.users(id));
    for (const user of this.network.localUsers()) {
      const info = userInfo(user);
      this.saved.set(info.uid, info);
      write.hset(keys.users(id), info.uid, JSON.stringify(info));
    }
    for (const channel of this.network.channels()) {
      if ([...channel.members.keys()].some((member) => member.home === undefined)) write.set(keys.channel(channel.folded), JSON.stringify(channelInfo(channel)), "NX");
    }
    await write.exec();
    await this.loadAll();
    this.publish({ t: "hello", n: id });
    this.host.logger.info({ node: id, remoteUsers: this.network.remoteUsers, nodes: this.network.nodes().size + 1 }, this.everUp ? "redis up" : "joined the cluster");
    this.everUp = true;
    this.firstUp();
  }

  private async reclaimNicks(): Promise<void> {
    const users = [...this.network.localUsers()];
    if (users.length === 0) return;
    const claims = this.redis.pipeline();
    for (const user of users) claims.eval(claimScript, 1, this.keys.nick(foldCase(user.nick)), user.uid);
    const results = (await claims.exec()) ?? [];
    users.forEach((user, i) => {
      if (results[i]?.[1] === 0) this.collide(user);
    });
  }

  /** Another node's user got this nick while Redis was away: the local user, the later claimant, takes a guest nick. */
  private collide(user: User): void {
    this.stats.nickCollisions++;
    const old = user.nick;
    const guest = `Guest-${this.tag}${user.uid.slice(user.uid.lastIndexOf("/") + 1)}`.slice(0, 30);
    this.host.logger.warn({ nick: old, guest }, "nick collision after a split");
    this.network.setNick(user, guest);
    this.host.notice(user, `Your nick ${old} was taken on another server while the network was split; you are now ${guest}`);
    this.redis.eval(claimScript, 1, this.keys.nick(foldCase(guest)), user.uid).catch(ignore);
  }

  /** Reads every other node's users and the channels' state from Redis into the view. */
  private async loadAll(): Promise<void> {
    const nodes = (await this.redis.smembers(this.keys.nodes)).filter((node) => node !== this.nodeId);
    for (const node of this.network.nodes()) if (!nodes.includes(node)) this.network.remote.forgetNode(node, splitReason);
    for (const node of nodes) await this.reloadNode(node);
  }

  private async readUsers(node: string): Promise<UserInfo[]> {
    return (await this.redis.hvals(this.keys.users(node))).map((text) => JSON.parse(text) as UserInfo);
  }

  /** Adds to batch what frees gone users' nicks and the channels they left empty here. */
  private forgetUsers(batch: ChainableCommander, users: UserInfo[]): void {
    for (const info of users) {
      batch.eval(releaseScript, 1, this.keys.nick(foldCase(info.nick)), info.uid);
      for (const name of Object.keys(info.channels)) if (!this.network.findChannel(name)) batch.del(this.keys.channel(foldCase(name)));
    }
  }

  private async reloadNode(node: string): Promise<void> {
    const users = await this.readUsers(node);
    this.network.remote.reconcileNode(node, users, splitReason);
    const names = [...new Set(users.flatMap((info) => Object.keys(info.channels).map(foldCase)))];
    if (names.length === 0) return;
    const states = await this.redis.mget(...names.map((name) => this.keys.channel(name)));
    for (const text of states) if (text !== null) this.network.remote.applyChannel(JSON.parse(text) as ChannelInfo, node);
  }

  /**
   * Every lease/6: renews this node's lease key (lifetime lease - lease/6) and looks for peers whose key ran out. A
   * dead node's key lasts at most 5/6 of the lease after its death and is seen gone within the next tick: its users
   * quit within the lease. A live node may miss four renewals in a row (a starved event loop) before it is lost.
   */
  private async tick(): Promise<void> {
    if (this.closed) return;
    if (!this.stats.up) {
      if (this.redis.status === "ready" && this.sub.status === "ready") this.startSync();
      return;
    }
    try {
      const { keys, nodeId: id } = this;
      const renewed = await this.redis.multi().set(keys.lease(id), String(Date.now()), "PX", this.keyMs).sadd(keys.nodes, id).exec();
      if (renewed?.[1]?.[1] === 1) {
        // Another node found us lost and cleaned our keys: join again.
        this.host.logger.warn({ node: id }, "this node was found lost by the others; rejoining");
        this.stats.up = false;
        this.startSync();
        return;
      }
      const nodes = (await this.redis.smembers(keys.nodes)).filter((node) => node !== id);
      for (const node of this.network.nodes()) if (!nodes.includes(node)) this.lose(node, false);
      if (nodes.length === 0) return;
      const leases = await this.redis.mget(...nodes.map((node) => keys.lease(node)));
      // Right after a reconnect, give the others a full lease to renew theirs.
      if (Date.now() - this.lastUp < this.leaseMs) return;
      nodes.forEach((node, i) => {
        if (leases[i] === null) this.lose(node, true);
      });
    } catch (error) {
      this.host.logger.debug({ err: error instanceof Error ? error.message : String(error) }, "lease renewal failed");
    }
  }

  /** A node's lease ran out: its users quit here; one survivor (holding a lock) cleans its keys. */
  private lose(node: string, clean: boolean): void {
    if (!this.lost.has(node)) {
      this.lost.add(node);
      this.stats.nodesLost++;
      this.dropDevices(node);
      const users = this.network.remote.forgetNode(node, splitReason);
      this.host.logger.warn({ node, users }, "cluster node lost");
    }
    if (clean) this.cleanNode(node).catch((error: unknown) => this.host.logger.debug({ err: error, node }, "cleanup failed"));
  }

  private async cleanNode(node: string): Promise<void> {
    const { keys } = this;
    if ((await this.redis.set(keys.cleanup(node), this.nodeId, "PX", this.leaseMs * 4, "NX")) !== "OK") return;
    const users = await this.readUsers(node);
    const clean = this.redis.multi();
    this.forgetUsers(clean, users);
    clean.del(keys.users(node)).srem(keys.nodes, node);
    await clean.exec();
    this.host.logger.info({ node, users: users.length }, "cleaned a lost node's keys");
    this.host.nodeCleaned();
  }
}
