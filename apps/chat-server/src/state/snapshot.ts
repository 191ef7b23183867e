import { flagLetters, type Channel, type User } from "./model.js";

/** A user as every node of a cluster sees it; also what a node keeps in Redis for each of its users. */
export interface UserInfo {
  /** `<node>/<connection id>`: unique in the network. */
  uid: string;
  nick: string;
  user: string;
  host: string;
  realname: string;
  away?: string;
  invisible: boolean;
  oper: boolean;
  bot?: boolean;
  account?: string;
  /** Channel name -> member flags (Member bits). */
  channels: Record<string, number>;
}

export interface BanInfo {
  mask: string;
  setBy: string;
  setAt: number;
}

/** A channel's shared state: topic, modes, bans, invites (membership lives with the users). */
export interface ChannelInfo {
  name: string;
  topic?: { text: string; setBy: string; setAt: number };
  /** Mode letters set, out of `imnpst` (an older node knows `imnt` only). */
  modes: string;
  key?: string;
  limit?: number;
  bans: BanInfo[];
  /** +e and +I lists: absent when empty, and from an older node. */
  excepts?: BanInfo[];
  invex?: BanInfo[];
  /** Epoch seconds the channel was created on its first node; absent from an older node. */
  created?: number;
  invited: string[];
}

function listInfo(list: readonly BanInfo[]): BanInfo[] {
  return list.map(({ mask, setBy, setAt }) => ({ mask, setBy, setAt }));
}

/** A user's state as the network sees it. */
export function userInfo(user: User): UserInfo {
  const channels: Record<string, number> = {};
  for (const channel of user.channels) channels[channel.name] = channel.members.get(user) ?? 0;
  const info: UserInfo = { uid: user.uid, nick: user.nick, user: user.user, host: user.host, realname: user.realname, invisible: user.invisible, oper: user.oper, channels };
  if (user.away !== undefined) info.away = user.away;
  if (user.account !== undefined) info.account = user.account;
  if (user.bot) info.bot = true;
  return info;
}

export function channelInfo(channel: Channel): ChannelInfo {
  const info: ChannelInfo = {
    name: channel.name,
    modes: flagLetters(channel),
    bans: listInfo(channel.bans),
    created: channel.createdAt,
    invited: [...channel.invited],
  };
  if (channel.exceptions.length > 0) info.excepts = listInfo(channel.exceptions);
  if (channel.inviteExceptions.length > 0) info.invex = listInfo(channel.inviteExceptions);
  if (channel.topic) info.topic = { ...channel.topic };
  if (channel.key !== undefined) info.key = channel.key;
  if (channel.limit !== undefined) info.limit = channel.limit;
  return info;
}
