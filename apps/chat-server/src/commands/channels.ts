import { Cap } from "../capabilities.js";
import { foldCase } from "../casemap.js";
import type { Connection } from "../connection.js";
import { KICKLEN } from "../names.js";
import {
  ERR_BADCHANNELKEY,
  ERR_BANNEDFROMCHAN,
  ERR_CHANNELISFULL,
  ERR_CHANOPRIVSNEEDED,
  ERR_INVITEONLYCHAN,
  ERR_NEEDMOREPARAMS,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_NOTONCHANNEL,
  ERR_TOOMANYCHANNELS,
  ERR_USERNOTINCHANNEL,
  ERR_USERONCHANNEL,
  RPL_ENDOFNAMES,
  RPL_ENDOFINVITELIST,
  RPL_INVITELIST,
  RPL_INVITING,
  RPL_NAMREPLY,
  RPL_NOTOPIC,
  RPL_TOPIC,
  RPL_TOPICWHOTIME,
  type Numeric,
} from "../numerics.js";
import type { ChannelInfo } from "../state/snapshot.js";
import type { Channel } from "../state/model.js";
import type { JoinRefusal } from "../state/network.js";
import { replayLine, sendBatch } from "./batch.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { greetFounder } from "./chanserv.js";
import { LIST } from "./list.js";
import { sendMarkers } from "./read-marker.js";
import { canSeeChannel } from "./visibility.js";

/**
 * 353/366 for one channel, marked `@` when secret (+s), `*` when private (+p), else `=`;
 * outsiders see no +i member, and nothing of a secret channel (its 366 only).
 */
export function sendNames(context: CommandContext, connection: Connection, channel: Channel, end = true): void {
  const inside = channel.members.has(connection.user);
  if (!inside && !canSeeChannel(connection.user, channel)) return end ? context.reply(connection, RPL_ENDOFNAMES, channel.name) : undefined;
  const all = (connection.caps & Cap.multiPrefix) !== 0;
  const full = (connection.caps & Cap.userhostInNames) !== 0;
  const symbol = channel.secret ? "@" : channel.private ? "*" : "=";
  // Each 353 within 512 bytes, however long the names (userhost-in-names).
  const room = 510 - `:${context.server.name} ${RPL_NAMREPLY.code} ${connection.nick} ${symbol} ${channel.name} :`.length;
  let line = "";
  for (const member of channel.members.keys()) {
    if (!inside && member.invisible) continue;
    const name = channel.prefixOf(member, all) + (full ? member.mask : member.nick);
    if (line && line.length + 1 + name.length > room) {
      context.reply(connection, RPL_NAMREPLY, symbol, channel.name, line);
      line = "";
    }
    line = line ? `${line} ${name}` : name;
  }
  if (line) context.reply(connection, RPL_NAMREPLY, symbol, channel.name, line);
  if (end) context.reply(connection, RPL_ENDOFNAMES, channel.name);
}

export function sendTopic(context: CommandContext, connection: Connection, channel: Channel): void {
  if (!channel.topic) return context.reply(connection, RPL_NOTOPIC, channel.name);
  context.reply(connection, RPL_TOPIC, channel.name, channel.topic.text);
  context.reply(connection, RPL_TOPICWHOTIME, channel.name, channel.topic.setBy, String(channel.topic.setAt));
}

const joinRefusals: Record<Exclude<JoinRefusal, "member">, Numeric> = {
  invalid: ERR_NOSUCHCHANNEL,
  "too-many": ERR_TOOMANYCHANNELS,
  "invite-only": ERR_INVITEONLYCHAN,
  banned: ERR_BANNEDFROMCHAN,
  "bad-key": ERR_BADCHANNELKEY,
  full: ERR_CHANNELISFULL,
};

function refuse(context: CommandContext, connection: Connection, name: string, refusal: JoinRefusal): void {
  if (refusal === "member") return;
  const shown = refusal === "invalid" || refusal === "too-many" ? name : (context.network.findChannel(name)?.name ?? name);
  context.reply(connection, joinRefusals[refusal], shown);
}

function join(context: CommandContext, connection: Connection, name: string, key: string | undefined): void {
  const refusal = context.network.joinRefusal(connection.user, name);
  if (refusal) return refuse(context, connection, name, refusal);
  const known = context.network.findChannel(name);
  const { claims } = context;
  if (known || !claims) return enter(context, connection, name, key, !known);
  // Cluster mode: the channel may exist on other nodes; Redis says who created it (and is its operator).
  context.hold(connection, claims.claimChannel(name), (claim) => enter(context, connection, name, key, claim.created, claim.created ? undefined : claim.state));
}

/** Puts the user on the channel (the network checks its modes unless the user creates it), then tells it the topic and names. */
function enter(context: CommandContext, connection: Connection, name: string, key: string | undefined, create: boolean, state?: ChannelInfo): void {
  const joined = context.network.join(connection.user, name, state ? { key, create, state } : { key, create });
  if (typeof joined === "string") return refuse(context, connection, name, joined);
  greetFounder(context, connection, joined);
  if (joined.topic) sendTopic(context, connection, joined);
  // draft/read-marker: the channel's marker comes before the end of names.
  if (!(connection.caps & Cap.readMarker)) sendNames(context, connection, joined);
  else {
    sendNames(context, connection, joined, false);
    sendMarkers(context, connection, [joined.name], () => context.reply(connection, RPL_ENDOFNAMES, joined.name));
  }
  autoreplay(context, connection, joined);
}

/** The last lines of the channel for a client that cannot ask with CHATHISTORY. */
function autoreplay(context: CommandContext, connection: Connection, channel: Channel): void {
  const lines = context.server.autoreplayLines;
  if (!context.history.enabled || lines <= 0 || connection.caps & Cap.chathistory) return;
  // Part of the JOIN's reply: a labeled JOIN's response waits for it.
  context.later(
    connection,
    context.history.range(channel.folded, { limit: lines, from: "end" }),
    (entries) => {
      if (entries.length > 0 && channel.members.has(connection.user)) sendBatch(context.server.name, connection, "chathistory", [channel.name], entries.map(replayLine));
    },
    (error: unknown) => context.logger.error({ err: error }, "autoreplay failed"),
  );
}

const JOIN: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const { user } = connection;
    if (params[0] === "0") {
      for (const channel of [...user.channels]) context.network.part(user, channel, "Left all channels");
      return;
    }
    const names = (params[0] ?? "").split(",").filter(Boolean);
    const keys = (params[1] ?? "").split(",");
    names.forEach((name, i) => join(context, connection, name, keys[i] || undefined));
  },
};

/** The channel a command names, if it exists and the user is on it; otherwise replies 403/442. */
function memberChannel(context: CommandContext, connection: Connection, name: string): Channel | undefined {
  const channel = context.network.findChannel(name);
  if (!channel) {
    context.reply(connection, ERR_NOSUCHCHANNEL, name);
    return undefined;
  }
  if (!channel.members.has(connection.user)) {
    context.reply(connection, ERR_NOTONCHANNEL, channel.name);
    return undefined;
  }
  return channel;
}

const PART: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    for (const name of (params[0] ?? "").split(",").filter(Boolean)) {
      const channel = memberChannel(context, connection, name);
      if (channel) context.network.part(connection.user, channel, params[1] || undefined);
    }
  },
};

const TOPIC: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const name = params[0] ?? "";
    const text = params[1];
    if (text === undefined) {
      const channel = context.network.findChannel(name);
      if (!channel) return context.reply(connection, ERR_NOSUCHCHANNEL, name);
      // A secret channel's topic is for its members.
      if (!canSeeChannel(connection.user, channel)) return context.reply(connection, ERR_NOTONCHANNEL, channel.name);
      return sendTopic(context, connection, channel);
    }
    const channel = memberChannel(context, connection, name);
    if (!channel) return;
    if (context.network.setTopic(connection.user, channel, text) === "not-op") context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
  },
};

/** Channels one NAMES may name (TARGMAX NAMES:4). */
const maxNamesTargets = 4;

const NAMES: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    if (!params[0]) return context.reply(connection, RPL_ENDOFNAMES, "*");
    const names = params[0].split(",").filter(Boolean).slice(0, maxNamesTargets);
    // Several channels: their 353s, then one 366 naming them all (RFC 2812, Modern).
    const several = names.length > 1;
    for (const name of names) {
      const channel = context.network.findChannel(name);
      if (channel) sendNames(context, connection, channel, !several);
      else if (!several) context.reply(connection, RPL_ENDOFNAMES, name);
    }
    if (several) context.reply(connection, RPL_ENDOFNAMES, names.join(","));
  },
};

/** KICK one channel's users, or pairs (`KICK #a,#b u1,u2`: u1 from #a, u2 from #b); each leaves with its own KICK line. */
const KICK: Command = {
  minParams: 2,
  run(context, connection, { params }) {
    const names = (params[0] ?? "").split(",").filter(Boolean);
    const nicks = (params[1] ?? "").split(",").filter(Boolean);
    if (names.length !== 1 && names.length !== nicks.length) return context.reply(connection, ERR_NEEDMOREPARAMS, "KICK");
    const { user } = connection;
    const reason = (params[2] ?? user.nick).slice(0, KICKLEN);
    nicks.forEach((nick, i) => {
      const channel = memberChannel(context, connection, names[names.length === 1 ? 0 : i] ?? "");
      if (!channel) return;
      if (!channel.isOp(user)) return context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
      const target = context.network.findUser(nick);
      const refused = target ? context.network.kick(user, channel, target, reason) : "not-member";
      if (refused === "not-member") context.reply(connection, ERR_USERNOTINCHANNEL, nick, channel.name);
      else if (refused === "not-op") context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
    });
  },
};

/** INVITE alone lists the channels the user is invited to (336/337). */
function inviteList(context: CommandContext, connection: Connection): void {
  const folded = foldCase(connection.nick);
  for (const channel of context.network.channels()) if (channel.invited.has(folded)) context.reply(connection, RPL_INVITELIST, channel.name);
  context.reply(connection, RPL_ENDOFINVITELIST);
}

const INVITE: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    if (params.length === 0) return inviteList(context, connection);
    if (params.length < 2) return context.reply(connection, ERR_NEEDMOREPARAMS, "INVITE");
    const [nick = "", name = ""] = params;
    const target = context.network.findUser(nick);
    if (!target) return context.reply(connection, ERR_NOSUCHNICK, nick);
    const channel = memberChannel(context, connection, name);
    if (!channel) return;
    const refused = context.network.invite(connection.user, target, channel);
    if (refused === "on-channel") return context.reply(connection, ERR_USERONCHANNEL, target.nick, channel.name);
    if (refused === "not-op") return context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
    if (refused === "not-member") return context.reply(connection, ERR_NOTONCHANNEL, channel.name);
    context.reply(connection, RPL_INVITING, target.nick, channel.name);
  },
};

export const channelCommands = { JOIN, PART, TOPIC, NAMES, LIST, KICK, INVITE };
