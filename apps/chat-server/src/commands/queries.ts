import { Cap } from "../capabilities.js";
import {
  ERR_NONICKNAMEGIVEN,
  ERR_NOSUCHNICK,
  ERR_WASNOSUCHNICK,
  RPL_AWAY,
  RPL_ENDOFWHOIS,
  RPL_ENDOFWHOWAS,
  RPL_ISON,
  RPL_USERHOST,
  RPL_VERSION,
  RPL_WHOISACCOUNT,
  RPL_WHOISCHANNELS,
  RPL_WHOISIDLE,
  RPL_WHOISOPERATOR,
  RPL_WHOISBOT,
  RPL_WHOISSERVER,
  RPL_WHOISUSER,
  RPL_WHOWASUSER,
} from "../numerics.js";
import type { Command } from "./command.js";
import { canSeeMembership, idleSeconds } from "./visibility.js";
import { sendLusers, sendMotd } from "./welcome.js";
import { WHO } from "./who.js";

/** words joined with spaces into as few lines as there are of at most room characters. */
function spacedLines(words: readonly string[], room: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

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
        .filter((channel) => canSeeMembership(user, target, channel))
        .map((channel) => channel.prefixOf(target, all) + channel.name);
      // Many channels would overflow one 512-byte line.
      const room = 510 - `:${context.server.name} ${RPL_WHOISCHANNELS.code} ${connection.nick} ${target.nick} :`.length;
      for (const line of spacedLines(channels, room)) context.reply(connection, RPL_WHOISCHANNELS, target.nick, line);
      context.reply(connection, RPL_WHOISSERVER, target.nick, context.server.name, "netlab chat");
      if (target.oper) context.reply(connection, RPL_WHOISOPERATOR, target.nick);
      if (target.bot) context.reply(connection, RPL_WHOISBOT, target.nick);
      if (target.account) context.reply(connection, RPL_WHOISACCOUNT, target.nick, target.account);
      if (target.away !== undefined) context.reply(connection, RPL_AWAY, target.nick, target.away);
      const idle = idleSeconds(target);
      // Another node's user: its idle and signon times are not known here.
      if (idle !== undefined) context.reply(connection, RPL_WHOISIDLE, target.nick, String(idle), String(Math.floor(target.signonAt / 1000)));
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
