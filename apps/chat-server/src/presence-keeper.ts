import type { Logger } from "@netlab/daemon";
import type { AccountStore, Presence } from "./accounts/store.js";
import { foldCase } from "./casemap.js";
import type { Change } from "./state/changes.js";
import type { Claims } from "./state/claims.js";
import type { User } from "./state/model.js";
import type { Network } from "./state/network.js";

/** How often the time up to which connected always-on users have seen their messages is written. */
export const seenCheckpointMs = 1_000;
/** Written seen times stay this far behind the clock: a message stamped just before may still be on its way out. */
const inFlightMs = 200;

export interface PresenceKeeperParts {
  store: AccountStore;
  network: Network;
  /** Network-wide nick claims (cluster mode). */
  claims: Claims | undefined;
  logger: Logger;
}

/**
 * Always-on users' presence in the account store: their nick, channels and up to when they
 * saw their messages, written as they change. From it a restarted node, a surviving node
 * of a cluster, or a returning device brings the user back on its channels.
 */
export class PresenceKeeper {
  private readonly restoring = new Map<string, Promise<User | undefined>>();
  /** Always-on users of this node with a device: the ones the checkpoint writes (never a walk over every user). */
  private readonly connected = new Set<User>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly parts: PresenceKeeperParts) {}

  start(): void {
    this.timer = setInterval(() => this.checkpoint(), seenCheckpointMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Follows the network's changes: an always-on user of this node that moved, joined, left or lost its last device is saved. */
  observe(change: Change): void {
    if (change.remote !== undefined) {
      // Another node kicked a local always-on user: its channels changed.
      if (change.kind === "part") this.save(change.user);
      return;
    }
    switch (change.kind) {
      case "join":
      case "part":
      case "nick":
      case "register":
        this.save(change.user);
        return;
      case "devices":
      case "account":
        // Always-on may have been turned off: then nothing is kept to bring back.
        if (change.user.alwaysOn) this.save(change.user);
        else if (change.account !== undefined) this.drop(change.account);
        return;
      case "quit":
        // Gone for good (logged out, killed, always-on turned off): nothing to bring back.
        if (change.user.account !== undefined && change.user.home === undefined) this.drop(change.user.account);
        return;
      default:
    }
  }

  /** The account's user, brought back from its stored presence when it is not on the network; undefined without one. */
  restore(account: string): Promise<User | undefined> {
    const key = foldCase(account);
    let work = this.restoring.get(key);
    if (!work) {
      work = this.bringBack(account).finally(() => this.restoring.delete(key));
      this.restoring.set(key, work);
    }
    return work;
  }

  /** Brings back every stored always-on user that is not on the network (at start, or after a node was lost). */
  async restoreAll(): Promise<number> {
    let restored = 0;
    for (const account of (await this.parts.store.presences()).keys()) {
      try {
        if (await this.restore(account)) restored++;
      } catch (error) {
        this.parts.logger.warn({ err: error, account }, "cannot bring back an always-on user");
      }
    }
    return restored;
  }

  private async bringBack(account: string): Promise<User | undefined> {
    const { network, store, claims } = this.parts;
    const present = network.accountUser(account);
    if (present) return present;
    const [presence, record] = await Promise.all([store.presence(account), store.get(account)]);
    if (!presence || !record || !(record.alwaysOn ?? true)) return undefined;
    if (network.accountUser(account)) return network.accountUser(account);
    const user = network.addUser(`user/${record.name}`);
    const nick = network.nickHolder(presence.nick) ? record.name : presence.nick;
    if (network.nickHolder(nick) || (claims && !(await claims.claimNick(user, nick)))) {
      network.discard(user);
      return network.accountUser(account);
    }
    const restored = network.restore(user, { nick, ident: `~${record.name.slice(0, 9)}`, realname: record.name, account: record.name, channels: presence.channels, awaySince: presence.seen });
    this.parts.logger.info({ account: record.name, nick, channels: presence.channels.length }, "always-on user back");
    return restored ? user : undefined;
  }

  private save(user: User): void {
    if (!user.alwaysOn || user.account === undefined || user.home !== undefined || !user.registered) return;
    if (user.sessions.length > 0) this.connected.add(user);
    else this.connected.delete(user);
    const presence: Presence = {
      nick: user.nick,
      channels: [...user.channels].map((channel) => channel.name),
      seen: user.sessions.length === 0 ? user.awaySince : Date.now() - inFlightMs,
    };
    this.parts.store.savePresence(user.account, presence).catch((error: unknown) => this.parts.logger.warn({ err: error }, "cannot save an always-on user"));
  }

  private drop(account: string): void {
    this.parts.store.dropPresence(account).catch((error: unknown) => this.parts.logger.warn({ err: error }, "cannot drop an always-on user"));
  }

  /** Connected always-on users have seen everything up to about now: if their node dies, a returning device gets what came after. */
  private checkpoint(): void {
    for (const user of [...this.connected]) {
      // Gone, or no longer always-on: nothing more to write.
      if (this.parts.network.byUid(user.uid) !== user || !user.alwaysOn) this.connected.delete(user);
      else this.save(user);
    }
  }
}
