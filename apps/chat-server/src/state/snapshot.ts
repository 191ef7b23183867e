import type { Channel, User } from "./model.js";

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
  /** Mode letters set, out of `imnt`. */
  modes: string;
  key?: string;
  limit?: number;
  bans: BanInfo[];
  invited: string[];
}

/** A user's state as the network sees it. */
export function userInfo(user: User): UserInfo {
  const channels: Record<string, number> = {};
  for (const channel of user.channels) channels[channel.name] = channel.members.get(user) ?? 0;
  const info: UserInfo = { uid: user.uid, nick: user.nick, user: user.user, host: user.host, realname: user.realname, invisible: user.invisible, oper: user.oper, channels };
  if (user.away !== undefined) info.away = user.away;
  if (user.account !== undefined) info.account = user.account;
  return info;
}

export function channelInfo(channel: Channel): ChannelInfo {
  let modes = "";
  if (channel.inviteOnly) modes += "i";
  if (channel.moderated) modes += "m";
  if (channel.noExternal) modes += "n";
  if (channel.topicLock) modes += "t";
  const info: ChannelInfo = {
    name: channel.name,
    modes,
    bans: channel.bans.map(({ mask, setBy, setAt }) => ({ mask, setBy, setAt })),
    invited: [...channel.invited],
  };
  if (channel.topic) info.topic = { ...channel.topic };
  if (channel.key !== undefined) info.key = channel.key;
  if (channel.limit !== undefined) info.limit = channel.limit;
  return info;
}
