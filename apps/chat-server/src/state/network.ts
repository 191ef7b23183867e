import { foldCase } from "../casemap.js";
import { globMatcher } from "../glob.js";
import { isValidChannel, TOPICLEN } from "../names.js";
import { Outgoing, stamp } from "../outgoing.js";
import type { Audience, ChangeSink } from "./changes.js";
import { Member, type Channel, type Session, type User } from "./model.js";
import { ChannelRecord, UserRecord } from "./records.js";
import type { ChannelInfo, UserInfo } from "./snapshot.js";
import { Whowas } from "./whowas.js";

/** Why a JOIN is refused ("member": already on it, nothing to say). */
export type JoinRefusal = "invalid" | "member" | "too-many" | "invite-only" | "banned" | "bad-key" | "full";

/** One channel mode change, checked by the command: k takes a key, l a limit, b a full mask, o and v a member. */
export type ModeChange =
  | { add: boolean; mode: "i" | "m" | "n" | "t" }
  | { add: boolean; mode: "k" | "l" | "b"; arg: string }
  | { add: boolean; mode: "o" | "v"; target: User };

export interface NetworkOptions {
  /** This node's id in a cluster: the first part of its users' uids. */
  nodeId: string;
  /** Channels one user may be on. */
  maxChannelsPerUser: number;
}

/** WHOWAS entries kept. */
const whowasSize = 200;

/** The users and channels this module made: every User and Channel is one of its records. */
function own(user: User): UserRecord {
  if (!(user instanceof UserRecord)) throw new TypeError("not a user of this network");
  return user;
}

function ownChannel(channel: Channel): ChannelRecord {
  if (!(channel instanceof ChannelRecord)) throw new TypeError("not a channel of this network");
  return channel;
}

export function isChannel(target: Channel | User): target is Channel {
  return target instanceof ChannelRecord;
}

/** A new event said by user (JOIN, PRIVMSG...), stamped with time and msgid. */
function said(user: User, command: string, params: string[], clientTags?: Record<string, string>): Outgoing {
  return new Outgoing(user.mask, command, params, stamp(user.account, clientTags));
}

/**
 * The network's state: users, nicks, channels, memberships, modes, topics and WHOWAS, local
 * and on other nodes. The only code that writes them: each operation checks the rules,
 * applies the change and emits one change record (more for a remote user's resync).
 */
export class Network {
  readonly whowas = new Whowas(whowasSize);
  /** Users by folded nick: registered ones, local ones registering, and other nodes' users. */
  private readonly nicks = new Map<string, UserRecord>();
  private readonly channelsByName = new Map<string, ChannelRecord>();
  private readonly usersByUid = new Map<string, UserRecord>();
  private remoteCount = 0;
  private nextId = 1;

  constructor(
    private readonly options: NetworkOptions,
    private readonly emit: ChangeSink,
  ) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** The registered user holding nick. */
  findUser(nick: string): User | undefined {
    const user = this.nicks.get(foldCase(nick));
    return user?.registered ? user : undefined;
  }

  /** Whoever holds nick, registered or not. */
  nickHolder(nick: string): User | undefined {
    return this.nicks.get(foldCase(nick));
  }

  findChannel(name: string): Channel | undefined {
    return this.channelsByName.get(foldCase(name));
  }

  byUid(uid: string): User | undefined {
    return this.usersByUid.get(uid);
  }

  channels(): IterableIterator<Channel> {
    return this.channelsByName.values();
  }

  get channelCount(): number {
    return this.channelsByName.size;
  }

  /** Registered users under their nicks, of every node. */
  *users(): IterableIterator<User> {
    for (const user of this.nicks.values()) if (user.registered) yield user;
  }

  /** Registered users of this node. */
  *localUsers(): IterableIterator<User> {
    for (const user of this.usersByUid.values()) if (user.home === undefined && user.registered) yield user;
  }

  /** Users connected to other nodes. */
  get remoteUsers(): number {
    return this.remoteCount;
  }

  /** Nodes that have users here. */
  nodes(): Set<string> {
    const nodes = new Set<string>();
    for (const user of this.usersByUid.values()) if (user.home !== undefined) nodes.add(user.home);
    return nodes;
  }

  /** Everyone who shares a channel with user, each once, without user itself. */
  peersOf(user: User): Set<User> {
    const peers = new Set<User>();
    for (const channel of user.channels) {
      for (const member of channel.members.keys()) if (member !== user) peers.add(member);
    }
    return peers;
  }

  /** Why user may not join name before anything is claimed, or undefined. */
  joinRefusal(user: User, name: string): JoinRefusal | undefined {
    if (!isValidChannel(name)) return "invalid";
    if (this.channelsByName.get(foldCase(name))?.members.has(own(user))) return "member";
    if (user.channels.size >= this.options.maxChannelsPerUser) return "too-many";
    return undefined;
  }

  // --- Users of this node ---

  /** A new, unregistered local user (a new connection), without a nick yet. */
  addUser(host: string): User {
    const user = new UserRecord(`${this.options.nodeId}/${this.nextId++}`, host, undefined);
    this.usersByUid.set(user.uid, user);
    return user;
  }

  attach(user: User, session: Session): void {
    const record = own(user);
    record.sessions = [...record.sessions, session];
  }

  /** A connection of user closed; with its last one, the user quits with `QUIT :quitText`. */
  detach(user: User, session: Session, quitText: string): void {
    const record = own(user);
    record.sessions = record.sessions.filter((each) => each !== session);
    if (record.sessions.length === 0) this.quit(record, quitText);
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
    this.emit({ kind: "register", user });
  }

  /** Gives a local user nick; false when another local user holds it (another node's holder yields: the nick was claimed network-wide). */
  setNick(user: User, nick: string): boolean {
    const record = own(user);
    const folded = foldCase(nick);
    const holder = this.nicks.get(folded);
    if (holder && holder !== record && holder.home === undefined) return false;
    if (nick === record.nick) return true;
    const oldNick = record.nick;
    const message = record.registered ? said(record, "NICK", [nick]) : undefined;
    if (message) this.whowas.remember(record);
    this.releaseNick(record);
    this.nicks.set(folded, record);
    record.nick = nick;
    if (message) this.emit({ kind: "nick", user, oldNick, message });
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
    const known = this.channelsByName.get(foldCase(name));
    const channel = known ?? new ChannelRecord(name);
    if (!known && options.state) applyChannelInfo(channel, options.state);
    let flags = 0;
    if (options.create) flags = Member.op;
    else {
      const invited = channel.invited.has(foldCase(record.nick));
      if (!invited) {
        if (channel.inviteOnly) return "invite-only";
        if (channel.isBanned(record)) return "banned";
        if (channel.key !== undefined && options.key !== channel.key) return "bad-key";
        if (channel.limit !== undefined && channel.members.size >= channel.limit) return "full";
      }
      channel.invited.delete(foldCase(record.nick));
    }
    // Registered only once someone is on it: a refused JOIN leaves no empty channel behind.
    if (!known) this.channelsByName.set(channel.folded, channel);
    this.addMember(channel, record, flags);
    this.emit({ kind: "join", user, channel, message: said(record, "JOIN", [channel.name]) });
    return channel;
  }

  part(user: User, channel: Channel, reason?: string): boolean {
    const record = own(user);
    const target = ownChannel(channel);
    if (!target.members.has(record)) return false;
    const message = said(record, "PART", reason ? [channel.name, reason] : [channel.name]);
    this.removeMember(target, record);
    this.emit({ kind: "part", user, channel, message });
    return true;
  }

  kick(by: User, channel: Channel, target: User, reason: string): "not-op" | "not-member" | undefined {
    const record = ownChannel(channel);
    if (!record.isOp(by)) return "not-op";
    const member = own(target);
    if (!record.members.has(member)) return "not-member";
    const message = said(by, "KICK", [channel.name, member.nick, reason]);
    this.removeMember(record, member);
    this.emit({ kind: "part", user: target, channel, message });
    return undefined;
  }

  setTopic(by: User, channel: Channel, text: string): "not-member" | "not-op" | undefined {
    const record = ownChannel(channel);
    if (!record.members.has(own(by))) return "not-member";
    if (record.topicLock && !record.isOp(by)) return "not-op";
    const topic = text.slice(0, TOPICLEN);
    record.topic = topic ? { text: topic, setBy: by.mask, setAt: Math.floor(Date.now() / 1000) } : undefined;
    this.emit({ kind: "channel", channel, message: said(by, "TOPIC", [channel.name, topic]) });
    return undefined;
  }

  invite(by: User, target: User, channel: Channel): "not-member" | "on-channel" | "not-op" | undefined {
    const record = ownChannel(channel);
    if (!record.members.has(own(by))) return "not-member";
    if (record.members.has(own(target))) return "on-channel";
    if (record.inviteOnly && !record.isOp(by)) return "not-op";
    record.invited.add(foldCase(target.nick));
    this.emit({ kind: "invite", channel, target, message: said(by, "INVITE", [target.nick, channel.name]) });
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
        case "t": {
          const field = ({ i: "inviteOnly", m: "moderated", n: "noExternal", t: "topicLock" } as const)[change.mode];
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
          if (add ? record.addBan(change.arg, by.mask) : record.removeBan(change.arg)) note(add, "b", change.arg);
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
    this.emit({ kind: "channel", channel, message });
    return message.params;
  }

  setAway(user: User, text: string | undefined): void {
    const record = own(user);
    record.away = text;
    this.emit({ kind: "away", user, message: said(record, "AWAY", text === undefined ? [] : [text]) });
  }

  /** Sets +i / -i and drops +o (only OPER grants it); the modes changed, e.g. `+i`, or "" for none. */
  setUserModes(user: User, changes: readonly { add: boolean; mode: "i" | "o" }[]): string {
    const record = own(user);
    let applied = "";
    let sign = "";
    for (const { add, mode } of changes) {
      let changed = false;
      if (mode === "i" && record.invisible !== add) {
        record.invisible = add;
        changed = true;
      } else if (mode === "o" && !add && record.oper) {
        record.oper = false;
        changed = true;
      }
      if (!changed) continue;
      const want = add ? "+" : "-";
      if (want !== sign) applied += sign = want;
      applied += mode;
    }
    if (applied) this.emit({ kind: "umode", user, message: said(record, "MODE", [record.nick, applied]) });
    return applied;
  }

  /** OPER: user becomes an operator, logged in as name. */
  operUp(user: User, name: string): void {
    const record = own(user);
    record.oper = true;
    record.account = name;
    this.emit({ kind: "umode", user, message: said(record, "MODE", [record.nick, "+o"]) });
  }

  /** An operator ends target's connections, wherever they are. */
  kill(by: User, target: User, reason: string): void {
    const message = said(by, "KILL", [target.nick, reason]);
    this.emit({ kind: "kill", target, message, reason: `Killed (${by.nick} (${reason}))` });
  }

  /** PRIVMSG, NOTICE or TAGMSG from a local user; false when the channel does not let from speak. */
  message(from: User, origin: Session, target: Channel | User, command: string, params: string[], clientTags: Record<string, string> | undefined, audience: Audience): boolean {
    const record = own(from);
    if (isChannel(target) && !target.canSpeak(record)) return false;
    record.lastSpoke = Date.now();
    this.emit({ kind: "message", from, origin, target, audience, message: said(record, command, params, clientTags) });
    return true;
  }

  /** user leaves the network (its last connection closed, or its node said so), with `QUIT :text`. */
  quit(user: User, text: string): void {
    const record = own(user);
    this.remove(record, said(record, "QUIT", [text]));
  }

  // --- Users of other nodes: what their nodes did, applied here without checks ---

  /** Adds or updates another node's user; message: its AWAY line for away-notify peers. */
  updateRemoteUser(info: UserInfo, node: string, message?: Outgoing): User {
    const user = this.upsertRemote(info, node, !this.usersByUid.has(info.uid));
    if (message) this.emit({ kind: "away", user, message, remote: node });
    else this.emit({ kind: "umode", user, remote: node });
    return user;
  }

  /** Makes node's users exactly `users` (read back from Redis after an outage or a hello); the rest quit with reason. */
  reconcileNode(node: string, users: readonly UserInfo[], reason: string): void {
    const present = new Set(users.map((info) => info.uid));
    for (const user of [...this.usersByUid.values()]) {
      if (user.home === node && !present.has(user.uid)) this.remove(user, new Outgoing(user.mask, "QUIT", [reason], stamp()), node);
    }
    for (const info of users) this.upsertRemote(info, node, true);
  }

  /** Every user of node quits (the node was lost or left), with reason; how many there were. */
  forgetNode(node: string, reason: string): number {
    let removed = 0;
    for (const user of [...this.usersByUid.values()]) {
      if (user.home !== node) continue;
      this.remove(user, new Outgoing(user.mask, "QUIT", [reason], stamp()), node);
      removed++;
    }
    return removed;
  }

  renameRemote(user: User, nick: string, message: Outgoing, node: string): void {
    const record = own(user);
    this.whowas.remember(record);
    const oldNick = record.nick;
    this.releaseNick(record);
    record.nick = nick;
    this.holdNick(record);
    this.emit({ kind: "nick", user, oldNick, message, remote: node });
  }

  quitRemote(user: User, message: Outgoing, node: string): void {
    this.remove(own(user), message, node);
  }

  /** Another node's user joined a channel; info: the channel's state there, taken when this node does not know it. */
  joinRemote(user: User, info: ChannelInfo, flags: number, message: Outgoing, node: string): void {
    const record = own(user);
    const channel = this.channelNamed(info.name, info);
    if (channel.members.has(record)) return;
    this.addMember(channel, record, flags);
    this.emit({ kind: "join", user, channel, message, remote: node });
  }

  /** A user (of any node) left a channel on another node's word: a PART, or a KICK there. */
  partRemote(user: User, name: string, message: Outgoing, node: string): void {
    const record = own(user);
    const channel = this.channelsByName.get(foldCase(name));
    if (!channel?.members.has(record)) return;
    this.removeMember(channel, record);
    this.emit({ kind: "part", user, channel, message, remote: node });
  }

  /** A channel's state as another node set it; flags: member flags by uid (MODE +o/+v). */
  applyRemoteChannel(info: ChannelInfo, node: string, flags?: Record<string, number>, message?: Outgoing): void {
    const channel = this.channelsByName.get(foldCase(info.name));
    if (!channel) return;
    applyChannelInfo(channel, info);
    for (const [uid, bits] of Object.entries(flags ?? {})) {
      const member = this.usersByUid.get(uid);
      const current = member && channel.members.get(member);
      if (member && current !== undefined && current !== bits) channel.members.set(member, bits);
    }
    this.emit({ kind: "channel", channel, message, remote: node });
  }

  /** A message another node accepted, for this node's users. */
  relayRemote(target: Channel | User, message: Outgoing, audience: Audience, node: string): void {
    this.emit({ kind: "message", from: undefined, origin: undefined, target, audience, message, remote: node });
  }

  /** An operator on another node killed a user of this node. */
  killRemote(target: User, message: Outgoing, reason: string, node: string): void {
    this.emit({ kind: "kill", target, message, reason, remote: node });
  }

  // --- Internals ---

  private upsertRemote(info: UserInfo, node: string, withChannels: boolean): UserRecord {
    let user = this.usersByUid.get(info.uid);
    if (!user) {
      user = new UserRecord(info.uid, info.host, node);
      user.registered = true;
      user.nick = info.nick;
      copyUserInfo(user, info);
      this.usersByUid.set(user.uid, user);
      this.remoteCount++;
      this.holdNick(user);
    } else {
      copyUserInfo(user, info);
      if (user.nick !== info.nick) this.renameRemote(user, info.nick, new Outgoing(user.mask, "NICK", [info.nick], stamp()), node);
      // A local user who held this nick may have been renamed after a collision.
      else this.holdNick(user);
    }
    if (!withChannels) return user;
    // Membership exactly as its node has it: local members see JOIN and PART for the difference.
    const wanted = new Map(Object.entries(info.channels).map(([name, flags]) => [foldCase(name), { name, flags }]));
    for (const channel of [...user.channels]) {
      if (wanted.has(channel.folded)) continue;
      const message = new Outgoing(user.mask, "PART", [channel.name], stamp());
      this.removeMember(channel, user);
      this.emit({ kind: "part", user, channel, message, remote: node });
    }
    for (const { name, flags } of wanted.values()) {
      const channel = this.channelNamed(name);
      if (channel.members.has(user)) channel.members.set(user, flags);
      else {
        this.addMember(channel, user, flags);
        this.emit({ kind: "join", user, channel, message: new Outgoing(user.mask, "JOIN", [channel.name], stamp()), remote: node });
      }
    }
    return user;
  }

  private remove(user: UserRecord, message: Outgoing, remote?: string): void {
    if (!this.usersByUid.delete(user.uid)) return;
    if (user.home !== undefined) this.remoteCount--;
    const peers = this.peersOf(user);
    const channels = [...user.channels];
    if (user.registered) this.whowas.remember(user);
    for (const channel of channels) this.removeMember(channel, user);
    this.releaseNick(user);
    this.emit(remote === undefined ? { kind: "quit", user, message, peers, channels } : { kind: "quit", user, message, peers, channels, remote });
  }

  /** The channel called name, made (with info's state) when there is none. */
  private channelNamed(name: string, info?: ChannelInfo): ChannelRecord {
    const folded = foldCase(name);
    let channel = this.channelsByName.get(folded);
    if (!channel) {
      channel = new ChannelRecord(name);
      if (info) applyChannelInfo(channel, info);
      this.channelsByName.set(folded, channel);
    }
    return channel;
  }

  private addMember(channel: ChannelRecord, user: UserRecord, flags: number): void {
    channel.members.set(user, flags);
    user.channels.add(channel);
  }

  /** Removes user from channel, dropping the channel once empty. */
  private removeMember(channel: ChannelRecord, user: UserRecord): void {
    channel.members.delete(user);
    user.channels.delete(channel);
    if (channel.members.size === 0) this.channelsByName.delete(channel.folded);
  }

  private releaseNick(user: UserRecord): void {
    const folded = foldCase(user.nick);
    if (this.nicks.get(folded) === user) this.nicks.delete(folded);
  }

  /** Puts another node's user under its nick, unless a local user holds it (a collision the nick owners resolve in Redis). */
  private holdNick(user: UserRecord): void {
    const folded = foldCase(user.nick);
    const holder = this.nicks.get(folded);
    if (!holder || holder.home !== undefined) this.nicks.set(folded, user);
  }
}

/** Copies what can change about another node's user (not its nick or channels). */
function copyUserInfo(user: UserRecord, info: UserInfo): void {
  user.user = info.user;
  user.host = info.host;
  user.realname = info.realname;
  user.away = info.away;
  user.invisible = info.invisible;
  user.oper = info.oper;
  user.account = info.account;
}

/** Makes channel hold the state another node sent. */
function applyChannelInfo(channel: ChannelRecord, info: ChannelInfo): void {
  channel.topic = info.topic ? { ...info.topic } : undefined;
  channel.inviteOnly = info.modes.includes("i");
  channel.moderated = info.modes.includes("m");
  channel.noExternal = info.modes.includes("n");
  channel.topicLock = info.modes.includes("t");
  channel.key = info.key;
  channel.limit = info.limit;
  channel.bans.length = 0;
  for (const ban of info.bans) channel.bans.push({ ...ban, matches: globMatcher(ban.mask) });
  channel.invited.clear();
  for (const nick of info.invited) channel.invited.add(nick);
}
