import { Member, type Channel } from "../channel.js";
import type { Client } from "../client.js";
import { isChannelName } from "../names.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";

/** A ban mask in full nick!user@host form: `bob` is `bob!*@*`, `*@host` is `*!*@host`. */
export function normalizeMask(mask: string): string {
  const at = mask.indexOf("@");
  const bang = mask.indexOf("!");
  if (bang < 0 && at < 0) return `${mask || "*"}!*@*`;
  if (bang < 0) return `*!${mask}`;
  if (at < 0) return `${mask}@*`;
  return mask;
}

function userMode(server: ChatServer, client: Client, nick: string, modes: string | undefined): void {
  const target = server.findClient(nick);
  if (!target) return server.reply(client, "401", nick, "No such nick/channel");
  if (target !== client) return server.reply(client, "502", "Can't change mode for other users");
  if (modes === undefined) return server.reply(client, "221", "+" + (client.invisible ? "i" : "") + (client.oper ? "o" : ""));
  let adding = true;
  let applied = "";
  let sign = "";
  let unknown = false;
  for (const ch of modes) {
    if (ch === "+" || ch === "-") {
      adding = ch === "+";
      continue;
    }
    let changed = false;
    if (ch === "i" && client.invisible !== adding) {
      client.invisible = adding;
      changed = true;
    } else if (ch === "o" && !adding && client.oper) {
      // Anyone may drop operator status; only OPER grants it.
      client.oper = false;
      changed = true;
    } else if (ch !== "i" && ch !== "o") unknown = true;
    if (changed) {
      const want = adding ? "+" : "-";
      if (want !== sign) applied += sign = want;
      applied += ch;
    }
  }
  if (unknown) server.reply(client, "501", "Unknown MODE flag");
  if (!applied) return;
  server.deliver(client, server.said(client, "MODE", [client.nick, applied]));
  server.cluster?.userChanged(client);
}

/** Applies channel mode changes as an operator asked and tells the channel in one MODE line. */
function channelMode(server: ChatServer, client: Client, channel: Channel, modes: string, args: string[]): void {
  let adding = true;
  let applied = "";
  let sign = "";
  const appliedArgs: string[] = [];
  let changes = 0;
  const record = (ch: string, arg?: string): void => {
    const want = adding ? "+" : "-";
    if (want !== sign) applied += sign = want;
    applied += ch;
    if (arg !== undefined) appliedArgs.push(arg);
  };
  const isOp = channel.isOp(client);
  for (const ch of modes) {
    if (ch === "+" || ch === "-") {
      adding = ch === "+";
      continue;
    }
    if (ch === "b" && (args.length === 0 || !isOp)) {
      // With no mask (or from a non-operator) +b lists the bans.
      for (const ban of channel.bans) server.reply(client, "367", channel.name, ban.mask, ban.setBy, String(ban.setAt));
      server.reply(client, "368", channel.name, "End of channel ban list");
      continue;
    }
    if (!"bimntklov".includes(ch)) {
      server.reply(client, "472", ch, "is unknown mode char to me");
      continue;
    }
    if (!isOp) {
      server.reply(client, "482", channel.name, "You're not channel operator");
      return;
    }
    if (++changes > 4) break;
    switch (ch) {
      case "i":
      case "m":
      case "n":
      case "t": {
        const key = ({ i: "inviteOnly", m: "moderated", n: "noExternal", t: "topicLock" } as const)[ch];
        if (channel[key] !== adding) {
          channel[key] = adding;
          record(ch);
        }
        break;
      }
      case "k": {
        const key = args.shift();
        if (adding) {
          if (!key || /[\s,]/.test(key)) {
            server.reply(client, "461", "MODE", "Not enough parameters");
            break;
          }
          channel.key = key;
          record(ch, key);
        } else if (channel.key !== undefined) {
          channel.key = undefined;
          record(ch, "*");
        }
        break;
      }
      case "l": {
        if (adding) {
          const limit = Number.parseInt(args.shift() ?? "", 10);
          if (!(limit > 0)) {
            server.reply(client, "461", "MODE", "Not enough parameters");
            break;
          }
          channel.limit = limit;
          record(ch, String(limit));
        } else if (channel.limit !== undefined) {
          channel.limit = undefined;
          record(ch);
        }
        break;
      }
      case "b": {
        const mask = normalizeMask(args.shift() ?? "");
        if (adding ? channel.addBan(mask, client.mask) : channel.removeBan(mask)) record(ch, mask);
        break;
      }
      case "o":
      case "v": {
        const nick = args.shift();
        if (!nick) {
          server.reply(client, "461", "MODE", "Not enough parameters");
          break;
        }
        const target = server.findClient(nick);
        if (!target) {
          server.reply(client, "401", nick, "No such nick/channel");
          break;
        }
        const flags = channel.members.get(target);
        if (flags === undefined) {
          server.reply(client, "441", target.nick, channel.name, "They aren't on that channel");
          break;
        }
        const bit = ch === "o" ? Member.op : Member.voice;
        const next = adding ? flags | bit : flags & ~bit;
        if (next !== flags) {
          channel.members.set(target, next);
          record(ch, target.nick);
        }
        break;
      }
    }
  }
  if (!applied) return;
  const message = server.said(client, "MODE", [channel.name, applied, ...appliedArgs]);
  server.fanout.toChannel(channel, message);
  server.cluster?.channelChanged(channel, message);
}

const MODE: Command = {
  minParams: 1,
  run(server, client, { params }) {
    const [target = "", modes, ...args] = params;
    if (!isChannelName(target)) return userMode(server, client, target, modes);
    const channel = server.findChannel(target);
    if (!channel) return server.reply(client, "403", target, "No such channel");
    if (modes === undefined) {
      server.reply(client, "324", channel.name, ...channel.modeString(channel.members.has(client)));
      server.reply(client, "329", channel.name, String(channel.createdAt));
      return;
    }
    channelMode(server, client, channel, modes, args);
  },
};

export const modeCommands = { MODE };
