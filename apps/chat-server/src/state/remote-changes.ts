import { foldCase } from "../casemap.js";
import { Outgoing, stamp } from "../outgoing.js";
import type { Audience } from "./changes.js";
import type { Channel, User } from "./model.js";
import { ChannelRecord, UserRecord } from "./records.js";
import type { ChannelInfo, UserInfo } from "./snapshot.js";
import { applyChannelInfo, own, type Tables } from "./tables.js";

/** The change each line another node sends about a user stands for. */
const userLines: Partial<Record<string, "away" | "account" | "setname" | "chghost">> = { AWAY: "away", ACCOUNT: "account", SETNAME: "setname", CHGHOST: "chghost" };

/** A channel this node has no member of, as another node described it (for an invite's delivery only). */
function channelOutsideState(info: ChannelInfo): ChannelRecord {
  const channel = new ChannelRecord(info.name);
  applyChannelInfo(channel, info);
  return channel;
}

/**
 * What other nodes did, applied to this node's network state without checks (their nodes
 * checked), each emitting its change records with the node it came from.
 */
export class RemoteChanges {
  constructor(private readonly tables: Tables) {}

  /**
   * Adds (a register change) or updates another node's user; message: the line that tells
   * its peers what changed (AWAY, ACCOUNT, SETNAME or CHGHOST).
   */
  updateUser(info: UserInfo, node: string, message?: Outgoing): User {
    const known = this.tables.usersByUid.has(info.uid);
    const user = this.upsert(info, node, !known);
    const kind = message && userLines[message.command];
    if (message && kind) this.tables.emit({ kind, user, message, remote: node });
    else if (known) this.tables.emit({ kind: "umode", user, remote: node });
    return user;
  }

  /** A user of another node invited target (of any node) to a channel; info: the channel's state with the invite. */
  invite(info: ChannelInfo, target: User, message: Outgoing, node: string): void {
    const channel = this.tables.channelsByName.get(foldCase(info.name));
    if (channel) applyChannelInfo(channel, info);
    // The invite reaches its target even when no member of the channel is on this node.
    this.tables.emit({ kind: "invite", channel: channel ?? channelOutsideState(info), target, by: undefined, message, remote: node });
  }

  /** Another node's user took back a message to target (a channel or a user of this node). */
  redact(target: Channel | User, key: string, msgid: string, message: Outgoing, node: string): void {
    this.tables.emit({ kind: "redact", from: undefined, origin: undefined, target, key, msgid, message, remote: node });
  }

  wallops(message: Outgoing, node: string): void {
    this.tables.emit({ kind: "wallops", message, remote: node });
  }

  /** Makes node's users exactly `users` (read back from Redis after an outage or a hello); the rest quit with reason. */
  reconcileNode(node: string, users: readonly UserInfo[], reason: string): void {
    const present = new Set(users.map((info) => info.uid));
    for (const user of [...this.tables.usersByUid.values()]) {
      if (user.home === node && !present.has(user.uid)) this.tables.remove(user, new Outgoing(user.mask, "QUIT", [reason], stamp()), node);
    }
    for (const info of users) this.upsert(info, node, true);
  }

  /** Every user of node quits (the node was lost or left), with reason; how many there were. */
  forgetNode(node: string, reason: string): number {
    let removed = 0;
    for (const user of [...this.tables.usersByUid.values()]) {
      if (user.home !== node) continue;
      this.tables.remove(user, new Outgoing(user.mask, "QUIT", [reason], stamp()), node);
      removed++;
    }
    return removed;
  }

  rename(user: User, nick: string, message: Outgoing, node: string): void {
    const record = own(user);
    this.tables.whowas.remember(record);
    const oldNick = record.nick;
    this.tables.releaseNick(record);
    record.nick = nick;
    this.tables.holdNick(record);
    this.tables.emit({ kind: "nick", user, oldNick, message, remote: node });
  }

  quit(user: User, message: Outgoing, node: string): void {
    this.tables.remove(own(user), message, node);
  }

  /** Another node's user joined a channel; info: the channel's state there, taken when this node does not know it. */
  join(user: User, info: ChannelInfo, flags: number, message: Outgoing, node: string): void {
    const record = own(user);
    const channel = this.tables.channelNamed(info.name, info);
    if (channel.members.has(record)) return;
    this.tables.addMember(channel, record, flags);
    this.tables.emit({ kind: "join", user, channel, message, remote: node });
  }

  /** A user (of any node) left a channel on another node's word: a PART, or a KICK there. */
  part(user: User, name: string, message: Outgoing, node: string): void {
    const record = own(user);
    const channel = this.tables.channelsByName.get(foldCase(name));
    if (!channel?.members.has(record)) return;
    this.tables.removeMember(channel, record);
    this.tables.emit({ kind: "part", user, channel, message, remote: node });
  }

  /** A channel's state as another node set it; flags: member flags by uid (MODE +o/+v). */
  applyChannel(info: ChannelInfo, node: string, flags?: Record<string, number>, message?: Outgoing): void {
    const channel = this.tables.channelsByName.get(foldCase(info.name));
    if (!channel) return;
    applyChannelInfo(channel, info);
    for (const [uid, bits] of Object.entries(flags ?? {})) {
      const member = this.tables.usersByUid.get(uid);
      const current = member && channel.members.get(member);
      if (member && current !== undefined && current !== bits) channel.members.set(member, bits);
    }
    this.tables.emit({ kind: "channel", channel, message, remote: node });
  }

  /** A message another node accepted, for this node's users. */
  relay(target: Channel | User, message: Outgoing, audience: Audience, node: string): void {
    this.tables.emit({ kind: "message", from: undefined, origin: undefined, target, audience, message, remote: node });
  }

  /** An operator on another node killed a user of this node. */
  kill(target: User, message: Outgoing, reason: string, node: string): void {
    this.tables.emit({ kind: "kill", target, message, reason, remote: node });
  }

  private upsert(info: UserInfo, node: string, withChannels: boolean): UserRecord {
    let user = this.tables.usersByUid.get(info.uid);
    if (!user) {
      user = new UserRecord(info.uid, info.host, node);
      user.registered = true;
      user.nick = info.nick;
      copyUserInfo(this.tables, user, info);
      this.tables.usersByUid.set(user.uid, user);
      this.tables.countRemote(user, 1);
      this.tables.count(user, 1);
      this.tables.holdNick(user);
      this.tables.emit({ kind: "register", user, remote: node });
    } else {
      this.tables.count(user, -1);
      copyUserInfo(this.tables, user, info);
      this.tables.count(user, 1);
      if (user.nick !== info.nick) this.rename(user, info.nick, new Outgoing(user.mask, "NICK", [info.nick], stamp()), node);
      // A local user who held this nick may have been renamed after a collision.
      else this.tables.holdNick(user);
    }
    if (!withChannels) return user;
    // Membership exactly as its node has it: local members see JOIN and PART for the difference.
    const wanted = new Map(Object.entries(info.channels).map(([name, flags]) => [foldCase(name), { name, flags }]));
    for (const channel of [...user.channels]) {
      if (wanted.has(channel.folded)) continue;
      const message = new Outgoing(user.mask, "PART", [channel.name], stamp());
      this.tables.removeMember(channel, user);
      this.tables.emit({ kind: "part", user, channel, message, remote: node });
    }
    for (const { name, flags } of wanted.values()) {
      const channel = this.tables.channelNamed(name);
      if (channel.members.has(user)) channel.members.set(user, flags);
      else {
        this.tables.addMember(channel, user, flags);
        this.tables.emit({ kind: "join", user, channel, message: new Outgoing(user.mask, "JOIN", [channel.name], stamp()), remote: node });
      }
    }
    return user;
  }
}

/** Copies what can change about another node's user (not its nick or channels). */
function copyUserInfo(tables: Tables, user: UserRecord, info: UserInfo): void {
  user.user = info.user;
  user.host = info.host;
  user.realname = info.realname;
  user.away = info.away;
  user.invisible = info.invisible;
  user.oper = info.oper;
  user.bot = info.bot ?? false;
  tables.setAccount(user, info.account);
}

