import { Cap } from "../capabilities.js";
import { foldCase } from "../casemap.js";
import { Channel, Member } from "../channel.js";
import type { ChannelInfo } from "../cluster/events.js";
import { applyChannelInfo } from "../cluster/snapshot.js";
import type { Client } from "../client.js";
import { KICKLEN, TOPICLEN, isValidChannel } from "../names.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";
import { replayLine, sendBatch } from "./chathistory.js";

/** 353/366 for one channel; members who are +i are hidden from outsiders. */
export function sendNames(server: ChatServer, client: Client, channel: Channel): void {
  const inside = channel.members.has(client);
  const all = (client.caps & Cap.multiPrefix) !== 0;
  const names: string[] = [];
  for (const member of channel.members.keys()) {
    if (!inside && member.invisible) continue;
    names.push(channel.prefixOf(member, all) + member.nick);
  }
  // Keep each 353 well under 512 bytes.
  for (let i = 0; i < names.length; i += 40) {
    server.reply(client, "353", "=", channel.name, names.slice(i, i + 40).join(" "));
  }
  server.reply(client, "366", channel.name, "End of /NAMES list");
}

function sendTopic(server: ChatServer, client: Client, channel: Channel): void {
  if (!channel.topic) return server.reply(client, "331", channel.name, "No topic is set");
  server.reply(client, "332", channel.name, channel.topic.text);
  server.reply(client, "333", channel.name, channel.topic.setBy, String(channel.topic.setAt));
}

function join(server: ChatServer, client: Client, name: string, key: string | undefined): void {
  if (!isValidChannel(name)) return server.reply(client, "403", name, "No such channel");
  const channel = server.findChannel(name);
  if (channel?.members.has(client)) return;
  if (client.channels.size >= server.limits.maxChannelsPerClient) {
    return server.reply(client, "405", name, "You have joined too many channels");
  }
  const cluster = server.cluster;
  if (channel || !cluster) return enter(server, client, name, key, !channel);
  // Cluster mode: the channel may exist on other nodes; Redis says who created it (and is its operator).
  client.held = true;
  void cluster.claimChannel(name).then((claim) => {
    client.held = false;
    if (!client.closing) enter(server, client, name, key, claim.created, claim.created ? undefined : claim.state);
    server.resume(client);
  });
}

/**
 * Puts client on the channel, checking its modes unless client creates it (and so is its
 * operator). state: the modes of a channel another node created, read from Redis, for a
 * channel this node has not heard of yet (its events may still be in flight).
 */
function enter(server: ChatServer, client: Client, name: string, key: string | undefined, create: boolean, state?: ChannelInfo): void {
  const known = server.findChannel(name);
  if (known?.members.has(client)) return;
  let flags = 0;
  const channel = known ?? new Channel(name);
  if (!known && state) applyChannelInfo(channel, state);
  if (create) {
    // The first to join a channel is its operator.
    flags = Member.op;
  } else {
    const invited = channel.invited.has(foldCase(client.nick));
    if (channel.inviteOnly && !invited) return server.reply(client, "473", channel.name, "Cannot join channel (+i)");
    if (channel.isBanned(client) && !invited) return server.reply(client, "474", channel.name, "Cannot join channel (+b)");
    if (channel.key !== undefined && key !== channel.key && !invited) {
      return server.reply(client, "475", channel.name, "Cannot join channel (+k)");
    }
    if (channel.limit !== undefined && channel.members.size >= channel.limit && !invited) {
      return server.reply(client, "471", channel.name, "Cannot join channel (+l)");
    }
    channel.invited.delete(foldCase(client.nick));
  }
  // Registered only once someone is on it: a refused JOIN leaves no empty channel behind.
  if (!known) server.channels.set(channel.folded, channel);
  channel.members.set(client, flags);
  client.channels.add(channel);
  const message = server.said(client, "JOIN", [channel.name]);
  server.fanout.toChannel(channel, message);
  server.cluster?.joined(client, channel, message);
  if (client.away !== undefined) {
    const away = server.said(client, "AWAY", [client.away]);
    for (const member of channel.members.keys()) {
      if (member !== client && member.caps & Cap.awayNotify) server.deliver(member, away);
    }
  }
  if (channel.topic) sendTopic(server, client, channel);
  sendNames(server, client, channel);
  autoreplay(server, client, channel);
}

/** The last lines of the channel for a client that cannot ask with CHATHISTORY. */
function autoreplay(server: ChatServer, client: Client, channel: Channel): void {
  const lines = server.options.autoreplayLines ?? 10;
  if (!server.history.enabled || lines <= 0 || client.caps & Cap.chathistory) return;
  server.history.range(channel.folded, { limit: lines, from: "end" }).then(
    (entries) => {
      if (entries.length > 0 && channel.members.has(client)) sendBatch(server, client, "chathistory", [channel.name], entries.map(replayLine));
    },
    (error: unknown) => server.logger.error({ err: error }, "autoreplay failed"),
  );
}

const JOIN: Command = {
  minParams: 1,
  run(server, client, { params }) {
    if (params[0] === "0") {
      for (const channel of [...client.channels]) {
        const part = server.said(client, "PART", [channel.name, "Left all channels"]);
        server.fanout.toChannel(channel, part);
        server.leaveChannel(client, channel);
        server.cluster?.parted(client, channel, part);
      }
      return;
    }
    const names = (params[0] ?? "").split(",").filter(Boolean);
    const keys = (params[1] ?? "").split(",");
    names.forEach((name, i) => join(server, client, name, keys[i] || undefined));
  },
};

/** The channel a command names, if it exists and client is on it; otherwise replies 403/442. */
function memberChannel(server: ChatServer, client: Client, name: string): Channel | undefined {
  const channel = server.findChannel(name);
  if (!channel) {
    server.reply(client, "403", name, "No such channel");
    return undefined;
  }
  if (!channel.members.has(client)) {
    server.reply(client, "442", channel.name, "You're not on that channel");
    return undefined;
  }
  return channel;
}

const PART: Command = {
  minParams: 1,
  run(server, client, { params }) {
    for (const name of (params[0] ?? "").split(",").filter(Boolean)) {
      const channel = memberChannel(server, client, name);
      if (!channel) continue;
      const partParams = params[1] ? [channel.name, params[1]] : [channel.name];
      const part = server.said(client, "PART", partParams);
      server.fanout.toChannel(channel, part);
      server.leaveChannel(client, channel);
      server.cluster?.parted(client, channel, part);
    }
  },
};

const TOPIC: Command = {
  minParams: 1,
  run(server, client, { params }) {
    const name = params[0] ?? "";
    const text = params[1];
    if (text === undefined) {
      const channel = server.findChannel(name);
      if (!channel) return server.reply(client, "403", name, "No such channel");
      return sendTopic(server, client, channel);
    }
    const channel = memberChannel(server, client, name);
    if (!channel) return;
    if (channel.topicLock && !channel.isOp(client)) {
      return server.reply(client, "482", channel.name, "You're not channel operator");
    }
    const topic = text.slice(0, TOPICLEN);
    channel.topic = topic ? { text: topic, setBy: client.mask, setAt: Math.floor(Date.now() / 1000) } : undefined;
    const message = server.said(client, "TOPIC", [channel.name, topic]);
    server.fanout.toChannel(channel, message);
    server.cluster?.channelChanged(channel, message);
  },
};

const NAMES: Command = {
  minParams: 0,
  run(server, client, { params }) {
    if (!params[0]) return server.reply(client, "366", "*", "End of /NAMES list");
    for (const name of params[0].split(",").filter(Boolean)) {
      const channel = server.findChannel(name);
      if (channel) sendNames(server, client, channel);
      else server.reply(client, "366", name, "End of /NAMES list");
    }
  },
};

const LIST: Command = {
  minParams: 0,
  run(server, client, { params }) {
    server.reply(client, "321", "Channel", "Users  Name");
    const wanted = params[0] ? params[0].split(",").map((name) => server.findChannel(name)) : [...server.channels.values()];
    for (const channel of wanted) {
      if (channel) server.reply(client, "322", channel.name, String(channel.members.size), channel.topic?.text ?? "");
    }
    server.reply(client, "323", "End of /LIST");
  },
};

const KICK: Command = {
  minParams: 2,
  run(server, client, { params }) {
    const channel = memberChannel(server, client, params[0] ?? "");
    if (!channel) return;
    if (!channel.isOp(client)) return server.reply(client, "482", channel.name, "You're not channel operator");
    const reason = (params[2] ?? client.nick).slice(0, KICKLEN);
    for (const nick of (params[1] ?? "").split(",").filter(Boolean)) {
      const target = server.findClient(nick);
      if (!target || !channel.members.has(target)) {
        server.reply(client, "441", nick, channel.name, "They aren't on that channel");
        continue;
      }
      const kick = server.said(client, "KICK", [channel.name, target.nick, reason]);
      server.fanout.toChannel(channel, kick);
      server.leaveChannel(target, channel);
      server.cluster?.parted(target, channel, kick);
    }
  },
};

const INVITE: Command = {
  minParams: 2,
  run(server, client, { params }) {
    const [nick = "", name = ""] = params;
    const target = server.findClient(nick);
    if (!target) return server.reply(client, "401", nick, "No such nick/channel");
    const channel = memberChannel(server, client, name);
    if (!channel) return;
    if (channel.members.has(target)) return server.reply(client, "443", target.nick, channel.name, "is already on channel");
    if (channel.inviteOnly && !channel.isOp(client)) {
      return server.reply(client, "482", channel.name, "You're not channel operator");
    }
    channel.invited.add(foldCase(target.nick));
    server.cluster?.channelChanged(channel);
    server.reply(client, "341", target.nick, channel.name);
    const invite = server.said(client, "INVITE", [target.nick, channel.name]);
    server.deliver(target, invite);
    server.cluster?.toUser(target, invite);
  },
};

export const channelCommands = { JOIN, PART, TOPIC, NAMES, LIST, KICK, INVITE };
