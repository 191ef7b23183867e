import type { Channel } from "../channel.js";
import { Client, type FlushQueue, type Transport } from "../client.js";
import { globMatcher } from "../glob.js";
import type { ChannelInfo, UserInfo } from "./events.js";

/** A user's state as the network sees it. */
export function userInfo(client: Client, uid: string): UserInfo {
  const channels: Record<string, number> = {};
  for (const channel of client.channels) channels[channel.name] = channel.members.get(client) ?? 0;
  const info: UserInfo = { uid, nick: client.nick, user: client.user, host: client.host, realname: client.realname, invisible: client.invisible, oper: client.oper, channels };
  if (client.away !== undefined) info.away = client.away;
  if (client.account !== undefined) info.account = client.account;
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

/** Makes channel hold the state another node sent. */
export function applyChannelInfo(channel: Channel, info: ChannelInfo): void {
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

/** Remote users have no connection here: what is sent to them is dropped. */
const nowhere: Transport = { write() {}, pendingBytes: () => 0, pause() {}, end() {}, destroy() {} };
const noFlush: FlushQueue = { add() {} };

/** A stand-in for a user on another node, so NAMES, WHO, WHOIS and the rest see it. */
export function makeProxy(info: UserInfo, node: string): Client {
  const proxy = new Client(0, nowhere, info.host, noFlush, 1, 0);
  proxy.home = node;
  proxy.registered = true;
  proxy.gotUser = true;
  updateProxy(proxy, info);
  return proxy;
}

/** Copies what can change about a user (not its nick or channels) onto its proxy. */
export function updateProxy(proxy: Client, info: UserInfo): void {
  proxy.user = info.user;
  proxy.host = info.host;
  proxy.realname = info.realname;
  proxy.away = info.away;
  proxy.invisible = info.invisible;
  proxy.oper = info.oper;
  proxy.account = info.account;
}
