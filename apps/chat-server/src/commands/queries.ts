import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { globMatcher } from "../glob.js";
import { isChannelName } from "../names.js";
import {
  ERR_NONICKNAMEGIVEN,
  ERR_NOSUCHNICK,
  ERR_WASNOSUCHNICK,
  RPL_AWAY,
  RPL_ENDOFWHO,
  RPL_ENDOFWHOIS,
  RPL_ENDOFWHOWAS,
  RPL_ISON,
  RPL_USERHOST,
  RPL_VERSION,
  RPL_WHOISACCOUNT,
  RPL_WHOISCHANNELS,
  RPL_WHOISIDLE,
  RPL_WHOISOPERATOR,
  RPL_WHOISSERVER,
  RPL_WHOISUSER,
  RPL_WHOREPLY,
  RPL_WHOWASUSER,
} from "../numerics.js";
import type { Channel, User } from "../state/model.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { sendLusers, sendMotd } from "./welcome.js";

/** True when two users share a channel. */
function sharesChannel(a: User, b: User): boolean {
  for (const channel of a.channels) if (channel.members.has(b)) return true;
  return false;
}

function whoReply(context: CommandContext, connection: Connection, target: User, channel: Channel | undefined): void {
  let flags = target.away === undefined ? "H" : "G";
  if (target.oper) flags += "*";
  const shown = channel ?? [...target.channels][0];
  if (shown) flags += shown.prefixOf(target, (connection.caps & Cap.multiPrefix) !== 0);
  context.reply(connection, RPL_WHOREPLY, shown?.name ?? "*", target.user, target.host, context.server.name, target.nick, flags, `0 ${target.realname}`);
}

const WHO: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const mask = params[0] ?? "*";
    const onlyOpers = params[1] === "o";
    const { user } = connection;
    if (isChannelName(mask)) {
      const channel = context.network.findChannel(mask);
      if (channel) {
        const inside = channel.members.has(user);
        for (const member of channel.members.keys()) {
          if ((inside || !member.invisible) && (!onlyOpers || member.oper)) whoReply(context, connection, member, channel);
        }
      }
    } else {
      const matches = globMatcher(mask === "0" ? "*" : mask);
      // Users of other nodes too (cluster mode).
      for (const other of context.network.users()) {
        if (onlyOpers && !other.oper) continue;
        if (other !== user && other.invisible && !sharesChannel(user, other)) continue;
        if (matches(other.nick) || matches(other.host) || matches(other.realname)) whoReply(context, connection, other, undefined);
      }
    }
    context.reply(connection, RPL_ENDOFWHO, mask);
  },
};

const WHOIS: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    // WHOIS [server] nick: the nick is the last parameter.
    const nicks = params[params.length - 1];
    if (!nicks) return context.reply(connection, ERR_NONICKNAMEGIVEN);
    const { user } = connection;
    for (const nick of nicks.split(",").filter(Boolean).slice(0, 1)) {
      const target = context.network.findUser(nick);
      if (!target) {
        context.reply(connection, ERR_NOSUCHNICK, nick);
        context.reply(connection, RPL_ENDOFWHOIS, nick);
        continue;
      }
      context.reply(connection, RPL_WHOISUSER, target.nick, target.user, target.host, "*", target.realname);
      const all = (connection.caps & Cap.multiPrefix) !== 0;
      const channels = [...target.channels]
        .filter((channel) => !target.invisible || channel.members.has(user) || target === user)
        .map((channel) => channel.prefixOf(target, all) + channel.name);
      if (channels.length) context.reply(connection, RPL_WHOISCHANNELS, target.nick, channels.join(" "));
      context.reply(connection, RPL_WHOISSERVER, target.nick, context.server.name, "netlab chat");
      if (target.oper) context.reply(connection, RPL_WHOISOPERATOR, target.nick);
      if (target.account) context.reply(connection, RPL_WHOISACCOUNT, target.nick, target.account);
      if (target.away !== undefined) context.reply(connection, RPL_AWAY, target.nick, target.away);
      const idle = Math.floor((Date.now() - target.lastSpoke) / 1000);
      context.reply(connection, RPL_WHOISIDLE, target.nick, String(idle), String(Math.floor(target.signonAt / 1000)));
      context.reply(connection, RPL_ENDOFWHOIS, target.nick);
    }
  },
};

const WHOWAS: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const nick = params[0];
    if (!nick) return context.reply(connection, ERR_NONICKNAMEGIVEN);
    const count = Number.parseInt(params[1] ?? "", 10);
    const entries = context.network.whowas.find(nick);
    const shown = count > 0 ? entries.slice(0, count) : entries;
    if (shown.length === 0) context.reply(connection, ERR_WASNOSUCHNICK, nick);
    for (const entry of shown) {
      context.reply(connection, RPL_WHOWASUSER, entry.nick, entry.user, entry.host, "*", entry.realname);
      context.reply(connection, RPL_WHOISSERVER, entry.nick, context.server.name, new Date(entry.at).toUTCString());
    }
    context.reply(connection, RPL_ENDOFWHOWAS, nick);
  },
};

const ISON: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const online = params
      .flatMap((param) => param.split(" "))
      .map((nick) => context.network.findUser(nick)?.nick)
      .filter((nick): nick is string => nick !== undefined);
    context.reply(connection, RPL_ISON, online.join(" "));
  },
};

const USERHOST: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const replies: string[] = [];
    for (const nick of params.slice(0, 5)) {
      const target = context.network.findUser(nick);
      if (target) replies.push(`${target.nick}${target.oper ? "*" : ""}=${target.away === undefined ? "+" : "-"}${target.user}@${target.host}`);
    }
    context.reply(connection, RPL_USERHOST, replies.join(" "));
  },
};

const LUSERS: Command = { minParams: 0, run: (context, connection) => sendLusers(context, connection) };
const MOTD: Command = { minParams: 0, run: (context, connection) => sendMotd(context, connection) };

const VERSION: Command = {
  minParams: 0,
  run(context, connection) {
    context.reply(connection, RPL_VERSION, context.server.version, context.server.name, "netlab chat-server");
  },
};

export const queryCommands = { WHO, WHOIS, WHOWAS, ISON, USERHOST, LUSERS, MOTD, VERSION };
