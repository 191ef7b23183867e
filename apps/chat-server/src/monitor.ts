import { Cap } from "./capabilities.js";
import { foldCase } from "./casemap.js";
import type { Connection } from "./connection.js";
import { RPL_MONOFFLINE, RPL_MONONLINE, type Numeric } from "./numerics.js";
import type { Outgoing } from "./outgoing.js";
import type { Change } from "./state/changes.js";
import { sharesChannel, type User } from "./state/model.js";

/** Nicks one connection may monitor (MONITOR= in 005). */
export const MONITOR_LIMIT = 100;

/** Sends a numeric reply to a connection, as the command context does. */
export type MonitorReply = (connection: Connection, numeric: Numeric, ...params: string[]) => void;

/**
 * MONITOR: which of this node's connections watch which nicks (folded), and each one's own
 * list with its limit. Per-connection data, not network state: it hears the state's changes
 * and turns them into 730/731 and extended-monitor lines for the watchers.
 */
export class MonitorRegistry {
  /** Folded nick -> the connections watching it. */
  private readonly watchers = new Map<string, Set<Connection>>();
  /** A watching connection -> its list: folded nick -> the nick as it was sent. */
  private readonly lists = new Map<Connection, Map<string, string>>();

  constructor(
    readonly limit: number,
    private readonly reply: MonitorReply,
  ) {}

  /**
   * Adds targets (valid nicks) in order until connection's list is full. watched: the targets
   * now on the list, each once; refused: the first that did not fit and every one after it.
   */
  add(connection: Connection, targets: readonly string[]): { watched: string[]; refused: string[] } {
    const watched: string[] = [];
    const seen = new Set<string>();
    let list = this.lists.get(connection);
    for (const [i, target] of targets.entries()) {
      const folded = foldCase(target);
      if (seen.has(folded)) continue;
      if (!list?.has(folded)) {
        if ((list?.size ?? 0) >= this.limit) return { watched, refused: targets.slice(i) };
        if (!list) this.lists.set(connection, (list = new Map()));
        list.set(folded, target);
        let set = this.watchers.get(folded);
        if (!set) this.watchers.set(folded, (set = new Set()));
        set.add(connection);
      }
      seen.add(folded);
      watched.push(target);
    }
    return { watched, refused: [] };
  }

  remove(connection: Connection, targets: readonly string[]): void {
    const list = this.lists.get(connection);
    if (!list) return;
    for (const target of targets) {
      const folded = foldCase(target);
      if (list.delete(folded)) this.unwatch(folded, connection);
    }
    if (list.size === 0) this.lists.delete(connection);
  }

  /** MONITOR C, and a connection that closed: its list is gone. */
  clear(connection: Connection): void {
    const list = this.lists.get(connection);
    if (!list) return;
    for (const folded of list.keys()) this.unwatch(folded, connection);
    this.lists.delete(connection);
  }

  /** The nicks connection monitors, as it sent them. */
  list(connection: Connection): string[] {
    return [...(this.lists.get(connection)?.values() ?? [])];
  }

  /** 730/731 to the watchers of the nicks a register, nick or quit change brings or takes away. */
  changed(change: Change): void {
    // Nobody monitors anything: nothing to look up.
    if (this.watchers.size === 0) return;
    switch (change.kind) {
      case "register":
        return this.online(change.user);
      case "nick":
        // A change of case only is the same nick, still online.
        if (foldCase(change.oldNick) === foldCase(change.user.nick)) return;
        this.offline(change.oldNick);
        return this.online(change.user);
      case "quit":
        // A connection that never registered was never online.
        if (change.user.registered) this.offline(change.user.nick);
        return;
    }
  }

  /**
   * extended-monitor, for any change about user (AWAY, ACCOUNT, CHGHOST, SETNAME): its line to
   * the connections monitoring its nick that have cap and extended-monitor, and share no
   * channel with it (channel peers with cap heard it already).
   */
  news(user: User, message: Outgoing, cap: number): void {
    if (this.watchers.size === 0) return;
    const want = Cap.extendedMonitor | cap;
    for (const connection of this.watchers.get(foldCase(user.nick)) ?? []) {
      if ((connection.caps & want) !== want || connection.user === user || sharesChannel(connection.user, user)) continue;
      connection.send(message.lineFor(connection.caps));
    }
  }

  private online(user: User): void {
    for (const connection of this.watchers.get(foldCase(user.nick)) ?? []) this.reply(connection, RPL_MONONLINE, user.mask);
  }

  private offline(nick: string): void {
    for (const connection of this.watchers.get(foldCase(nick)) ?? []) this.reply(connection, RPL_MONOFFLINE, nick);
  }

  private unwatch(folded: string, connection: Connection): void {
    const set = this.watchers.get(folded);
    set?.delete(connection);
    if (set?.size === 0) this.watchers.delete(folded);
  }
}
