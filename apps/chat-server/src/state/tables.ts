import { foldCase } from "../casemap.js";
import { globMatcher } from "../glob.js";
import type { Outgoing } from "../outgoing.js";
import type { ChangeSink } from "./changes.js";
import { channelFlags, peersOf, type Ban, type Channel, type User } from "./model.js";
import { ChannelRecord, UserRecord } from "./records.js";
import type { BanInfo, ChannelInfo } from "./snapshot.js";
import { Whowas } from "./whowas.js";

/** WHOWAS entries kept. */
const whowasSize = 200;

/** The users and channels the state module made: every User and Channel is one of its records. */
export function own(user: User): UserRecord {
  if (!(user instanceof UserRecord)) throw new TypeError("not a user of this network");
  return user;
}

export function ownChannel(channel: Channel): ChannelRecord {
  if (!(channel instanceof ChannelRecord)) throw new TypeError("not a channel of this network");
  return channel;
}

/**
 * The network state's tables and the steps every operation is made of; only Network and
 * RemoteChanges use them.
 */
export class Tables {
  readonly whowas = new Whowas(whowasSize);
  /** Users by folded nick: registered ones, local ones registering, and other nodes' users. */
  readonly nicks = new Map<string, UserRecord>();
  readonly channelsByName = new Map<string, ChannelRecord>();
  readonly usersByUid = new Map<string, UserRecord>();
  remoteCount = 0;
  /** Registered users with +i, and IRC operators, of every node (LUSERS without walking them all). */
  invisibleCount = 0;
  operCount = 0;
  /** Users of each other node. */
  readonly nodeUsers = new Map<string, number>();
  /** The user logged into each account (by folded name), of every node: where another device of it joins. */
  readonly accounts = new Map<string, UserRecord>();

  constructor(readonly emit: ChangeSink) {}

  /** Adds (1) or takes back (-1) a registered user's part of the counts; around every change of its modes. */
  count(user: UserRecord, sign: 1 | -1): void {
    if (!user.registered) return;
    if (user.invisible) this.invisibleCount += sign;
    if (user.oper) this.operCount += sign;
  }

  /** A user of another node arrives (1) or leaves (-1). */
  countRemote(user: UserRecord, sign: 1 | -1): void {
    if (user.home === undefined) return;
    this.remoteCount += sign;
    const users = (this.nodeUsers.get(user.home) ?? 0) + sign;
    if (users > 0) this.nodeUsers.set(user.home, users);
    else this.nodeUsers.delete(user.home);
  }

  /** user leaves the network (message: its QUIT); remote: the node that said so. */
  remove(user: UserRecord, message: Outgoing, remote?: string): void {
    if (!this.usersByUid.delete(user.uid)) return;
    this.countRemote(user, -1);
    this.count(user, -1);
    const peers = peersOf(user);
    const channels = [...user.channels];
    if (user.registered) this.whowas.remember(user);
    for (const channel of channels) this.removeMember(channel, user);
    this.releaseNick(user);
    this.setAccount(user, undefined);
    this.emit(remote === undefined ? { kind: "quit", user, message, peers, channels } : { kind: "quit", user, message, peers, channels, remote });
  }

  /** The channel called name, made (with info's state) when there is none. */
  channelNamed(name: string, info?: ChannelInfo): ChannelRecord {
    const folded = foldCase(name);
    let channel = this.channelsByName.get(folded);
    if (!channel) {
      channel = new ChannelRecord(name);
      if (info) applyChannelInfo(channel, info);
      this.channelsByName.set(folded, channel);
    }
    return channel;
  }

  addMember(channel: ChannelRecord, user: UserRecord, flags: number): void {
    channel.members.set(user, flags);
    user.channels.add(channel);
  }

  /** Removes user from channel, dropping the channel once empty. */
  removeMember(channel: ChannelRecord, user: UserRecord): void {
    channel.members.delete(user);
    user.channels.delete(channel);
    if (channel.members.size === 0) this.channelsByName.delete(channel.folded);
  }

  /** Logs user into account (undefined: out), keeping the account table right. */
  setAccount(user: UserRecord, account: string | undefined): void {
    if (user.account !== undefined) {
      const folded = foldCase(user.account);
      if (this.accounts.get(folded) === user) this.accounts.delete(folded);
    }
    user.account = account;
    if (account !== undefined) this.accounts.set(foldCase(account), user);
  }

  releaseNick(user: UserRecord): void {
    const folded = foldCase(user.nick);
    if (this.nicks.get(folded) === user) this.nicks.delete(folded);
  }

  /** Puts another node's user under its nick, unless a local user holds it (a collision the nick owners resolve in Redis). */
  holdNick(user: UserRecord): void {
    const folded = foldCase(user.nick);
    const holder = this.nicks.get(folded);
    if (!holder || holder.home !== undefined) this.nicks.set(folded, user);
  }
}

function replaceList(list: Ban[], entries: readonly BanInfo[]): void {
  list.length = 0;
  for (const entry of entries) list.push({ mask: entry.mask, setBy: entry.setBy, setAt: entry.setAt, matches: globMatcher(entry.mask) });
}

/** Makes channel hold the state another node sent. */
export function applyChannelInfo(channel: ChannelRecord, info: ChannelInfo): void {
  channel.topic = info.topic ? { ...info.topic } : undefined;
  for (const [letter, field] of Object.entries(channelFlags)) channel[field] = info.modes.includes(letter);
  if (info.created !== undefined) channel.createdAt = info.created;
  channel.key = info.key;
  channel.limit = info.limit;
  replaceList(channel.bans, info.bans);
  replaceList(channel.exceptions, info.excepts ?? []);
  replaceList(channel.inviteExceptions, info.invex ?? []);
  channel.invited.clear();
  for (const nick of info.invited) channel.invited.add(nick);
}
