import { foldCase } from "../casemap.js";
import { isValidChannel, TOPICLEN } from "../names.js";
import { Outgoing, stamp } from "../outgoing.js";
import type { Audience, ChangeSink } from "./changes.js";
import { channelFlags, Member, type Channel, type ListMode, type Session, type User } from "./model.js";
import { ChannelRecord, UserRecord } from "./records.js";
import { RemoteChanges } from "./remote-changes.js";
import type { ChannelInfo } from "./snapshot.js";
import { applyChannelInfo, own, ownChannel, Tables } from "./tables.js";
import type { Whowas } from "./whowas.js";

/** User modes a user sets on itself (o only to drop it). */
export type UserModeLetter = "i" | "o" | "w" | "B";

const userModeFields = { i: "invisible", w: "wallops", B: "bot" } as const;

/** Why a JOIN is refused ("member": already on it, nothing to say). */
export type JoinRefusal = "invalid" | "member" | "too-many" | "invite-only" | "banned" | "bad-key" | "full";

/** One channel mode change, checked by the command: k takes a key, l a limit, b, e and I a full mask, o and v a member. */
export type ModeChange =
  | { add: boolean; mode: "i" | "m" | "n" | "p" | "s" | "t" }
  | { add: boolean; mode: "k" | "l" | ListMode; arg: string }
  | { add: boolean; mode: "o" | "v"; target: User };

export interface NetworkOptions {
  /** This node's id in a cluster: the first part of its users' uids. */
  nodeId: string;
  /** Channels one user may be on. */
  maxChannelsPerUser: number;
}

export function isChannel(target: Channel | User): target is Channel {
  return target instanceof ChannelRecord;
}

/** A new event said by user (JOIN, PRIVMSG...), stamped with time and msgid. */
function said(user: User, command: string, params: string[], clientTags?: Record<string, string>): Outgoing {
  return new Outgoing(user.mask, command, params, stamp(user.account, clientTags, user.bot));
}

/**
 * The network's state: users, nicks, channels, memberships, modes, topics and WHOWAS, local
 * and on other nodes. The only code that writes them: each operation checks the rules,
 * applies the change and emits one change record (more for a remote user's resync).
 */
export class Network {
  /** What other nodes did, applied here. */
  readonly remote: RemoteChanges;
  private readonly tables: Tables;
  private nextId = 1;

  constructor(
    private readonly options: NetworkOptions,
    emit: ChangeSink,
  ) {
    this.tables = new Tables(emit);
    this.remote = new RemoteChanges(this.tables);
  }

  get whowas(): Whowas {
    return this.tables.whowas;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** The registered user holding nick. */
  findUser(nick: string): User | undefined {
    const user = this.tables.nicks.get(foldCase(nick));
    return user?.registered ? user : undefined;
  }

  /** Whoever holds nick, registered or not. */
  nickHolder(nick: string): User | undefined {
    return this.tables.nicks.get(foldCase(nick));
  }

  findChannel(name: string): Channel | undefined {
    return this.tables.channelsByName.get(foldCase(name));
  }

  byUid(uid: string): User | undefined {
    return this.tables.usersByUid.get(uid);
  }

  channels(): IterableIterator<Channel> {
    return this.tables.channelsByName.values();
  }

  get channelCount(): number {
    return this.tables.channelsByName.size;
  }

  /** Registered users under their nicks, of every node. */
  *users(): IterableIterator<User> {
    for (const user of this.tables.nicks.values()) if (user.registered) yield user;
  }

  /** Registered users of this node. */
  *localUsers(): IterableIterator<User> {
    for (const user of this.tables.usersByUid.values()) if (user.home === undefined && user.registered) yield user;
  }

  /** Users connected to other nodes. */
  get remoteUsers(): number {
    return this.tables.remoteCount;
  }

  /** Nodes that have users here. */
  nodes(): Set<string> {
    return new Set(this.tables.nodeUsers.keys());
  }

  /** Registered users with +i, of every node. */
  get invisibleUsers(): number {
    return this.tables.invisibleCount;
  }

  /** IRC operators, of every node. */
  get operators(): number {
    return this.tables.operCount;
  }

  /** Why user may not join name before anything is claimed, or undefined. */
  joinRefusal(user: User, name: string): JoinRefusal | undefined {
    if (!isValidChannel(name)) return "invalid";
    if (this.tables.channelsByName.get(foldCase(name))?.members.has(own(user))) return "member";
    if (user.channels.size >= this.options.maxChannelsPerUser) return "too-many";
    return undefined;
  }

  // --- Users of this node ---

  /** A new, unregistered local user (a new connection), without a nick yet. */
  addUser(host: string): User {
    const user = new UserRecord(`${this.options.nodeId}/${this.nextId++}`, host, undefined);
    this.tables.usersByUid.set(user.uid, user);
    return user;
  }

  attach(user: User, session: Session): void {
    const record = own(user);
    record.sessions = [...record.sessions, session];
    record.awaySince = 0;
    // Another device of a user already here (relayed from another node).
    if (record.registered) this.tables.emit({ kind: "devices", user });
  }

  /** A connection of user closed; with its last one, the user quits with `QUIT :quitText` (an always-on user stays). */
  detach(user: User, session: Session, quitText: string): void {
    const record = own(user);
    record.sessions = record.sessions.filter((each) => each !== session);
    if (record.sessions.length > 0) return;
    if (record.alwaysOn && record.registered && record.home === undefined) {
      record.awaySince = Date.now();
      this.tables.emit({ kind: "devices", user });
      return;
    }
    this.tables.remove(record, said(record, "QUIT", [quitText]));
  }

  /** The user logged into account, of any node. */
  accountUser(account: string): User | undefined {
    return this.tables.accounts.get(foldCase(account));
  }

  /** Logs user into account (undefined: out); alwaysOn: it stays on the network with no connection. */
  login(user: User, account: string | undefined, alwaysOn = false): void {
    const record = own(user);
    const before = record.account;
    const wasAlwaysOn = record.alwaysOn;
    record.alwaysOn = account !== undefined && alwaysOn;
    if (before === account) {
      if (wasAlwaysOn !== record.alwaysOn && record.registered && before !== undefined) this.tables.emit({ kind: "devices", user, account: before });
      return;
    }
    this.tables.setAccount(record, account);
    // The account left behind, so what was kept for it can go.
    if (record.registered) this.tables.emit({ kind: "account", user, message: said(record, "ACCOUNT", [account ?? "*"]), account: before });
  }

  /** A local user that never registered gives up the nick it chose (its connection is relayed to its account's node). */
  releaseNick(user: User): void {
    const record = own(user);
    if (record.registered || record.nick === "*") return;
    const nick = record.nick;
    this.tables.releaseNick(record);
    record.nick = "*";
    this.tables.emit({ kind: "unclaim", user, nick });
  }

  /** Drops a local user that never registered and has no connection (a restore that lost its nick claim). */
  discard(user: User): void {
    const record = own(user);
    if (record.registered || record.sessions.length > 0) return;
    this.tables.remove(record, said(record, "QUIT", ["Discarded"]));
  }

  /** A new connection's user (never registered) hands its connection to user, another device of the same account, and goes. */
  moveSession(from: User, to: User, session: Session): void {
    const source = own(from);
    const target = own(to);
    if (source.registered || source === target) return;
    source.sessions = [];
    this.tables.remove(source, said(source, "QUIT", ["Joined another device"]));
    target.sessions = [...target.sessions, session];
    target.awaySince = 0;
    this.tables.emit({ kind: "devices", user: to });
  }

  /**
   * Brings back an always-on user that had no connection (after a restart, or on another node):
   * user is a new local user (addUser) whose nick the caller claimed; it is registered, logged
   * in and put on its channels (a channel no one is on is made again).
   */
  restore(user: User, presence: { nick: string; ident: string; realname: string; account: string; channels: readonly string[]; awaySince: number }): boolean {
    const record = own(user);
    if (record.registered || !this.setNick(record, presence.nick)) return false;
    record.user = presence.ident;
    record.realname = presence.realname;
    record.alwaysOn = true;
    record.awaySince = presence.awaySince;
    this.tables.setAccount(record, presence.account);
    this.register(record);
    for (const name of presence.channels) {
      if (!isValidChannel(name) || record.channels.size >= this.options.maxChannelsPerUser) continue;
      const channel = this.tables.channelNamed(name);
      if (channel.members.has(record)) continue;
      this.tables.addMember(channel, record, 0);
      this.tables.emit({ kind: "join", user, channel, message: said(record, "JOIN", [channel.name]) });
    }
    return true;
  }

  /** USER's user name and realname, before registration. */
  setIdent(user: User, name: string, realname: string): void {
    const record = own(user);
    if (record.registered) return;
    record.user = name;
    record.realname = realname;
  }

  register(user: User): void {
    const record = own(user);
    if (record.registered) return;
    record.registered = true;
    this.tables.count(record, 1);
    this.tables.emit({ kind: "register", user });
  }

  /** Gives a local user nick; false when another local user holds it (another node's holder yields: the nick was claimed network-wide). */
  setNick(user: User, nick: string): boolean {
    const record = own(user);
    const folded = foldCase(nick);
    const holder = this.tables.nicks.get(folded);
    if (holder && holder !== record && holder.home === undefined) return false;
    if (nick === record.nick) return true;
    const oldNick = record.nick;
    const message = record.registered ? said(record, "NICK", [nick]) : undefined;
    if (message) this.tables.whowas.remember(record);
    this.tables.releaseNick(record);
    this.tables.nicks.set(folded, record);
    record.nick = nick;
    if (message) this.tables.emit({ kind: "nick", user, oldNick, message });
    return true;
  }

  /**
   * Puts user on the channel. create: user creates it and is its operator (no mode checks);
   * state: the modes another node gave a channel this node has not heard of yet.
   */
  join(user: User, name: string, options: { key?: string; create: boolean; state?: ChannelInfo }): Channel | JoinRefusal {
    const record = own(user);
    const refusal = this.joinRefusal(user, name);
    if (refusal) return refusal;
    const known = this.tables.channelsByName.get(foldCase(name));
    const channel = known ?? new ChannelRecord(name);
    if (!known && options.state) applyChannelInfo(channel, options.state);
    let flags = 0;
    if (options.create) flags = Member.op;
    else {
      const invited = channel.invited.has(foldCase(record.nick));
      if (!invited) {
        if (channel.inviteOnly && !channel.isInviteExempt(record)) return "invite-only";
        if (channel.isBanned(record)) return "banned";
        if (channel.key !== undefined && options.key !== channel.key) return "bad-key";
        if (channel.limit !== undefined && channel.members.size >= channel.limit) return "full";
      }
      channel.invited.delete(foldCase(record.nick));
    }
    // Registered only once someone is on it: a refused JOIN leaves no empty channel behind.
    if (!known) this.tables.channelsByName.set(channel.folded, channel);
    this.tables.addMember(channel, record, flags);
    this.tables.emit({ kind: "join", user, channel, message: said(record, "JOIN", [channel.name]) });
    return channel;
  }

  part(user: User, channel: Channel, reason?: string): boolean {
    const record = own(user);
    const target = ownChannel(channel);
    if (!target.members.has(record)) return false;
    const message = said(record, "PART", reason ? [channel.name, reason] : [channel.name]);
    this.tables.removeMember(target, record);
    this.tables.emit({ kind: "part", user, channel, message });
    return true;
  }

  kick(by: User, channel: Channel, target: User, reason: string): "not-op" | "not-member" | undefined {
    const record = ownChannel(channel);
    if (!record.isOp(by)) return "not-op";
    const member = own(target);
    if (!record.members.has(member)) return "not-member";
    const message = said(by, "KICK", [channel.name, member.nick, reason]);
    this.tables.removeMember(record, member);
    this.tables.emit({ kind: "part", user: target, channel, message });
    return undefined;
  }

  setTopic(by: User, channel: Channel, text: string): "not-member" | "not-op" | undefined {
    const record = ownChannel(channel);
    if (!record.members.has(own(by))) return "not-member";
    if (record.topicLock && !record.isOp(by)) return "not-op";
    const topic = text.slice(0, TOPICLEN);
    record.topic = topic ? { text: topic, setBy: by.mask, setAt: Math.floor(Date.now() / 1000) } : undefined;
    this.tables.emit({ kind: "channel", channel, message: said(by, "TOPIC", [channel.name, topic]) });
    return undefined;
  }

  invite(by: User, target: User, channel: Channel): "not-member" | "on-channel" | "not-op" | undefined {
    const record = ownChannel(channel);
    if (!record.members.has(own(by))) return "not-member";
    if (record.members.has(own(target))) return "on-channel";
    if (record.inviteOnly && !record.isOp(by)) return "not-op";
    record.invited.add(foldCase(target.nick));
    this.tables.emit({ kind: "invite", channel, target, by, message: said(by, "INVITE", [target.nick, channel.name]) });
    return undefined;
  }

  /** Applies an operator's mode changes; the MODE line's parameters, or undefined when nothing changed. */
  setChannelModes(by: User, channel: Channel, changes: readonly ModeChange[]): string[] | undefined {
    const record = ownChannel(channel);
    if (!record.isOp(by)) return undefined;
    let applied = "";
    let sign = "";
    const args: string[] = [];
    const note = (add: boolean, mode: string, arg?: string): void => {
      const want = add ? "+" : "-";
      if (want !== sign) applied += sign = want;
      applied += mode;
      if (arg !== undefined) args.push(arg);
    };
    for (const change of changes) {
      const { add } = change;
      switch (change.mode) {
        case "i":
        case "m":
        case "n":
        case "p":
        case "s":
        case "t": {
          const field = channelFlags[change.mode];
          if (record[field] !== add) {
            record[field] = add;
            note(add, change.mode);
          }
          break;
        }
        case "k":
          if (add) {
            record.key = change.arg;
            note(add, "k", change.arg);
          } else if (record.key !== undefined) {
            record.key = undefined;
            note(add, "k", "*");
          }
          break;
        case "l":
          if (add) {
            record.limit = Number(change.arg);
            note(add, "l", change.arg);
          } else if (record.limit !== undefined) {
            record.limit = undefined;
            note(add, "l");
          }
          break;
        case "b":
        case "e":
        case "I":
          if (add ? record.addListed(change.mode, change.arg, by.mask) : record.removeListed(change.mode, change.arg)) note(add, change.mode, change.arg);
          break;
        case "o":
        case "v": {
          const member = own(change.target);
          const flags = record.members.get(member);
          if (flags === undefined) break;
          const bit = change.mode === "o" ? Member.op : Member.voice;
          const next = add ? flags | bit : flags & ~bit;
          if (next !== flags) {
            record.members.set(member, next);
            note(add, change.mode, member.nick);
          }
          break;
        }
      }
    }
    if (!applied) return undefined;
    const message = said(by, "MODE", [channel.name, applied, ...args]);
    this.tables.emit({ kind: "channel", channel, message });
    return message.params;
  }

  /** A channel's founder (its account's) gets +o back from the server, unless it has it. */
  restoreOp(channel: Channel, user: User, serverName: string): void {
    const record = ownChannel(channel);
    const member = own(user);
    const flags = record.members.get(member);
    if (flags === undefined || flags & Member.op) return;
    record.members.set(member, flags | Member.op);
    this.tables.emit({ kind: "channel", channel, message: new Outgoing(serverName, "MODE", [channel.name, "+o", member.nick], stamp()) });
  }

  setAway(user: User, text: string | undefined): void {
    const record = own(user);
    record.away = text;
    this.tables.emit({ kind: "away", user, message: said(record, "AWAY", text === undefined ? [] : [text]) });
  }

  /** Sets +i, +w and +B (or unsets them) and drops +o (only OPER grants it); the modes changed, e.g. `+iw`, or "" for none. */
  setUserModes(user: User, changes: readonly { add: boolean; mode: UserModeLetter }[]): string {
    const record = own(user);
    let applied = "";
    let sign = "";
    this.tables.count(record, -1);
    for (const { add, mode } of changes) {
      let changed = false;
      if (mode === "o") {
        changed = !add && record.oper;
        if (changed) record.oper = false;
      } else {
        const field = userModeFields[mode];
        changed = record[field] !== add;
        record[field] = add;
      }
      if (!changed) continue;
      const want = add ? "+" : "-";
      if (want !== sign) applied += sign = want;
      applied += mode;
    }
    this.tables.count(record, 1);
    if (applied) this.tables.emit({ kind: "umode", user, message: said(record, "MODE", [record.nick, applied]) });
    return applied;
  }

  /** OPER: user becomes an operator. */
  operUp(user: User): void {
    const record = own(user);
    this.tables.count(record, -1);
    record.oper = true;
    this.tables.count(record, 1);
    this.tables.emit({ kind: "umode", user, message: said(record, "MODE", [record.nick, "+o"]) });
  }

  /** SETNAME: a new realname. */
  setRealname(user: User, realname: string): void {
    const record = own(user);
    record.realname = realname;
    this.tables.emit({ kind: "setname", user, message: said(record, "SETNAME", [realname]) });
  }

  /** A new user name and host for user (an operator's CHGHOST); the line comes from the old mask. */
  setHost(user: User, name: string, host: string): void {
    const record = own(user);
    // Another node's user changes on its own node, which tells every node.
    if (record.home !== undefined) return this.tables.emit({ kind: "sethost", user, name, host });
    const message = said(record, "CHGHOST", [name, host]);
    record.user = name;
    record.host = host;
    this.tables.emit({ kind: "chghost", user, message });
  }

  /** WALLOPS from an operator, to every user with +w on the network. */
  wallops(from: User, text: string): void {
    this.tables.emit({ kind: "wallops", message: said(from, "WALLOPS", [text]) });
  }

  /** An operator ends target's connections, wherever they are. */
  kill(by: User, target: User, reason: string): void {
    const message = said(by, "KILL", [target.nick, reason]);
    this.tables.emit({ kind: "kill", target, message, reason: `Killed (${by.nick} (${reason}))` });
  }

  /** REDACT: by takes back message msgid (found in history under key; by's own or, in a channel, by an operator: the command checked). */
  redact(by: User, origin: Session, target: Channel | User, key: string, msgid: string, reason: string | undefined): boolean {
    if (isChannel(target) && !target.members.has(own(by))) return false;
    const name = isChannel(target) ? target.name : target.nick;
    const message = said(by, "REDACT", reason ? [name, msgid, reason] : [name, msgid]);
    this.tables.emit({ kind: "redact", from: by, origin, target, key, msgid, message });
    return true;
  }

  /** PRIVMSG, NOTICE or TAGMSG from a local user; false when the channel does not let from speak. */
  message(from: User, origin: Session, target: Channel | User, command: string, params: string[], clientTags: Record<string, string> | undefined, audience: Audience): boolean {
    const record = own(from);
    if (isChannel(target) && !target.canSpeak(record)) return false;
    record.lastSpoke = Date.now();
    this.tables.emit({ kind: "message", from, origin, target, audience, message: said(record, command, params, clientTags) });
    return true;
  }

}
