import { Cap } from "../capabilities.js";
import type { Channel } from "../channel.js";
import { foldCase } from "../casemap.js";
import type { Client } from "../client.js";
import { globMatcher } from "../glob.js";
import { isChannelName } from "../names.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";
import { sendLusers, sendMotd } from "./welcome.js";

/** True when two clients share a channel. */
function sharesChannel(a: Client, b: Client): boolean {
  for (const channel of a.channels) if (channel.members.has(b)) return true;
  return false;
}

function whoReply(server: ChatServer, client: Client, target: Client, channel: Channel | undefined): void {
  let flags = target.away === undefined ? "H" : "G";
  if (target.oper) flags += "*";
  const shown = channel ?? [...target.channels][0];
  if (shown) flags += shown.prefixOf(target, (client.caps & Cap.multiPrefix) !== 0);
  server.reply(client, "352", shown?.name ?? "*", target.user, target.host, server.name, target.nick, flags, `0 ${target.realname}`);
}

const WHO: Command = {
  minParams: 0,
  run(server, client, { params }) {
    const mask = params[0] ?? "*";
    const onlyOpers = params[1] === "o";
    if (isChannelName(mask)) {
      const channel = server.findChannel(mask);
      if (channel) {
        const inside = channel.members.has(client);
        for (const member of channel.members.keys()) {
          if ((inside || !member.invisible) && (!onlyOpers || member.oper)) whoReply(server, client, member, channel);
        }
      }
    } else {
      const matches = globMatcher(mask === "0" ? "*" : mask);
      // server.nicks also holds the users of other nodes (cluster mode).
      for (const other of server.nicks.values()) {
        if (!other.registered || (onlyOpers && !other.oper)) continue;
        if (other !== client && other.invisible && !sharesChannel(client, other)) continue;
        if (matches(other.nick) || matches(other.host) || matches(other.realname)) whoReply(server, client, other, undefined);
      }
    }
    server.reply(client, "315", mask, "End of /WHO list");
  },
};

const WHOIS: Command = {
  minParams: 0,
  run(server, client, { params }) {
    // WHOIS [server] nick: the nick is the last parameter.
    const nicks = params[params.length - 1];
    if (!nicks) return server.reply(client, "431", "No nickname given");
    for (const nick of nicks.split(",").filter(Boolean).slice(0, 1)) {
      const target = server.findClient(nick);
      if (!target) {
        server.reply(client, "401", nick, "No such nick/channel");
        server.reply(client, "318", nick, "End of /WHOIS list");
        continue;
      }
      server.reply(client, "311", target.nick, target.user, target.host, "*", target.realname);
      const all = (client.caps & Cap.multiPrefix) !== 0;
      const channels = [...target.channels]
        .filter((channel) => !target.invisible || channel.members.has(client) || target === client)
        .map((channel) => channel.prefixOf(target, all) + channel.name);
      if (channels.length) server.reply(client, "319", target.nick, channels.join(" "));
      server.reply(client, "312", target.nick, server.name, "netlab chat");
      if (target.oper) server.reply(client, "313", target.nick, "is an IRC operator");
      if (target.account) server.reply(client, "330", target.nick, target.account, "is logged in as");
      if (target.away !== undefined) server.reply(client, "301", target.nick, target.away);
      const idle = Math.floor((Date.now() - target.lastSpoke) / 1000);
      server.reply(client, "317", target.nick, String(idle), String(Math.floor(target.connectedAt / 1000)), "seconds idle, signon time");
      server.reply(client, "318", target.nick, "End of /WHOIS list");
    }
  },
};

const WHOWAS: Command = {
  minParams: 0,
  run(server, client, { params }) {
    const nick = params[0];
    if (!nick) return server.reply(client, "431", "No nickname given");
    const wanted = foldCase(nick);
    const count = Number.parseInt(params[1] ?? "", 10);
    const entries = server.whowas.filter((entry) => foldCase(entry.nick) === wanted).reverse();
    const shown = count > 0 ? entries.slice(0, count) : entries;
    if (shown.length === 0) server.reply(client, "406", nick, "There was no such nickname");
    for (const entry of shown) {
      server.reply(client, "314", entry.nick, entry.user, entry.host, "*", entry.realname);
      server.reply(client, "312", entry.nick, server.name, new Date(entry.at).toUTCString());
    }
    server.reply(client, "369", nick, "End of WHOWAS");
  },
};

const ISON: Command = {
  minParams: 1,
  run(server, client, { params }) {
    const online = params
      .flatMap((param) => param.split(" "))
      .map((nick) => server.findClient(nick)?.nick)
      .filter((nick): nick is string => nick !== undefined);
    server.reply(client, "303", online.join(" "));
  },
};

const USERHOST: Command = {
  minParams: 1,
  run(server, client, { params }) {
    const replies: string[] = [];
    for (const nick of params.slice(0, 5)) {
      const target = server.findClient(nick);
      if (target) replies.push(`${target.nick}${target.oper ? "*" : ""}=${target.away === undefined ? "+" : "-"}${target.user}@${target.host}`);
    }
    server.reply(client, "302", replies.join(" "));
  },
};

const LUSERS: Command = { minParams: 0, run: (server, client) => sendLusers(server, client) };
const MOTD: Command = { minParams: 0, run: (server, client) => sendMotd(server, client) };

const VERSION: Command = {
  minParams: 0,
  run(server, client) {
    server.reply(client, "351", server.version, server.name, "netlab chat-server");
  },
};

export const queryCommands = { WHO, WHOIS, WHOWAS, ISON, USERHOST, LUSERS, MOTD, VERSION };
