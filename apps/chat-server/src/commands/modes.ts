import type { Connection } from "../connection.js";
import { isChannelName } from "../names.js";
import {
  ERR_CHANOPRIVSNEEDED,
  ERR_NEEDMOREPARAMS,
  ERR_NOSUCHCHANNEL,
  ERR_NOSUCHNICK,
  ERR_UMODEUNKNOWNFLAG,
  ERR_UNKNOWNMODE,
  ERR_USERNOTINCHANNEL,
  ERR_USERSDONTMATCH,
  RPL_BANLIST,
  RPL_CHANNELMODEIS,
  RPL_CREATIONTIME,
  RPL_ENDOFBANLIST,
  RPL_UMODEIS,
} from "../numerics.js";
import type { Channel } from "../state/model.js";
import type { ModeChange } from "../state/network.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";

/** A ban mask in full nick!user@host form: `bob` is `bob!*@*`, `*@host` is `*!*@host`. */
export function normalizeMask(mask: string): string {
  const at = mask.indexOf("@");
  const bang = mask.indexOf("!");
  if (bang < 0 && at < 0) return `${mask || "*"}!*@*`;
  if (bang < 0) return `*!${mask}`;
  if (at < 0) return `${mask}@*`;
  return mask;
}

/** Mode changes a command may ask for at once (MODES in 005). */
const maxModes = 4;

function userMode(context: CommandContext, connection: Connection, nick: string, modes: string | undefined): void {
  const { user } = connection;
  const target = context.network.findUser(nick);
  if (!target) return context.reply(connection, ERR_NOSUCHNICK, nick);
  if (target !== user) return context.reply(connection, ERR_USERSDONTMATCH);
  if (modes === undefined) return context.reply(connection, RPL_UMODEIS, "+" + (user.invisible ? "i" : "") + (user.oper ? "o" : ""));
  let add = true;
  let unknown = false;
  const changes: { add: boolean; mode: "i" | "o" }[] = [];
  for (const ch of modes) {
    if (ch === "+" || ch === "-") add = ch === "+";
    else if (ch === "i" || ch === "o") changes.push({ add, mode: ch });
    else unknown = true;
  }
  if (unknown) context.reply(connection, ERR_UMODEUNKNOWNFLAG);
  context.network.setUserModes(user, changes);
}

/** Checks the mode changes an operator asked for, answering list queries and mistakes; the network applies the rest in one MODE line. */
function channelMode(context: CommandContext, connection: Connection, channel: Channel, modes: string, args: string[]): void {
  const isOp = channel.isOp(connection.user);
  const changes: ModeChange[] = [];
  let add = true;
  let asked = 0;
  for (const ch of modes) {
    if (ch === "+" || ch === "-") {
      add = ch === "+";
      continue;
    }
    if (ch === "b" && (args.length === 0 || !isOp)) {
      // With no mask (or from a non-operator) +b lists the bans.
      for (const ban of channel.bans) context.reply(connection, RPL_BANLIST, channel.name, ban.mask, ban.setBy, String(ban.setAt));
      context.reply(connection, RPL_ENDOFBANLIST, channel.name);
      continue;
    }
    if (!"bimntklov".includes(ch)) {
      context.reply(connection, ERR_UNKNOWNMODE, ch);
      continue;
    }
    if (!isOp) return context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
    if (++asked > maxModes) break;
    switch (ch) {
      case "i":
      case "m":
      case "n":
      case "t":
        changes.push({ add, mode: ch });
        break;
      case "k": {
        const key = args.shift();
        if (!add) changes.push({ add, mode: "k", arg: "*" });
        else if (!key || /[\s,]/.test(key)) context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
        else changes.push({ add, mode: "k", arg: key });
        break;
      }
      case "l": {
        if (!add) {
          changes.push({ add, mode: "l", arg: "" });
          break;
        }
        const limit = Number.parseInt(args.shift() ?? "", 10);
        if (limit > 0) changes.push({ add, mode: "l", arg: String(limit) });
        else context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
        break;
      }
      case "b":
        changes.push({ add, mode: "b", arg: normalizeMask(args.shift() ?? "") });
        break;
      case "o":
      case "v": {
        const nick = args.shift();
        if (!nick) {
          context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
          break;
        }
        const target = context.network.findUser(nick);
        if (!target) context.reply(connection, ERR_NOSUCHNICK, nick);
        else if (!channel.members.has(target)) context.reply(connection, ERR_USERNOTINCHANNEL, target.nick, channel.name);
        else changes.push({ add, mode: ch, target });
        break;
      }
    }
  }
  if (changes.length > 0) context.network.setChannelModes(connection.user, channel, changes);
}

const MODE: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const [target = "", modes, ...args] = params;
    if (!isChannelName(target)) return userMode(context, connection, target, modes);
    const channel = context.network.findChannel(target);
    if (!channel) return context.reply(connection, ERR_NOSUCHCHANNEL, target);
    if (modes === undefined) {
      context.reply(connection, RPL_CHANNELMODEIS, channel.name, ...channel.modeString(channel.members.has(connection.user)));
      context.reply(connection, RPL_CREATIONTIME, channel.name, String(channel.createdAt));
      return;
    }
    channelMode(context, connection, channel, modes, args);
  },
};

export const modeCommands = { MODE };
