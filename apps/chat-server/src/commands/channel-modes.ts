import type { Connection } from "../connection.js";
import {
  ERR_CHANOPRIVSNEEDED,
  ERR_INVALIDMODEPARAM,
  ERR_NEEDMOREPARAMS,
  ERR_NOSUCHNICK,
  ERR_UNKNOWNMODE,
  ERR_USERNOTINCHANNEL,
  RPL_BANLIST,
  RPL_ENDOFBANLIST,
  RPL_ENDOFEXCEPTLIST,
  RPL_ENDOFINVEXLIST,
  RPL_EXCEPTLIST,
  RPL_INVEXLIST,
  type Numeric,
} from "../numerics.js";
import type { Channel, ListMode } from "../state/model.js";
import type { ModeChange } from "../state/network.js";
import type { CommandContext } from "./context.js";

/** Channel modes this server knows (004, CHANMODES in 005). */
export const CHANNEL_MODES = "Ibeiklmnopstv";

/** Mode changes a command may ask for at once (MODES in 005). */
export const MAX_MODES = 4;

/** A ban mask in full nick!user@host form: `bob` is `bob!*@*`, `*@host` is `*!*@host`. */
export function normalizeMask(mask: string): string {
  const at = mask.indexOf("@");
  const bang = mask.indexOf("!");
  if (bang < 0 && at < 0) return `${mask || "*"}!*@*`;
  if (bang < 0) return `*!${mask}`;
  if (at < 0) return `${mask}@*`;
  return mask;
}

/** Each list's entry and end numerics. */
const listReplies: Record<ListMode, readonly [Numeric, Numeric]> = {
  b: [RPL_BANLIST, RPL_ENDOFBANLIST],
  e: [RPL_EXCEPTLIST, RPL_ENDOFEXCEPTLIST],
  I: [RPL_INVEXLIST, RPL_ENDOFINVEXLIST],
};

function isListMode(mode: string): mode is ListMode {
  return mode === "b" || mode === "e" || mode === "I";
}

function sendList(context: CommandContext, connection: Connection, channel: Channel, mode: ListMode): void {
  const [entry, end] = listReplies[mode];
  for (const item of channel.listOf(mode)) context.reply(connection, entry, channel.name, item.mask, item.setBy, String(item.setAt));
  context.reply(connection, end, channel.name);
}

/** One mode letter with its argument (taken from args) as a change, or undefined after replying why not. */
function modeChange(context: CommandContext, connection: Connection, channel: Channel, add: boolean, mode: string, args: string[]): ModeChange | undefined {
  switch (mode) {
    case "i":
    case "m":
    case "n":
    case "p":
    case "s":
    case "t":
      return { add, mode };
    case "k": {
      // k takes its argument both ways (CHANMODES type B).
      const key = args.shift();
      if (!add) return { add, mode: "k", arg: "*" };
      if (key === undefined) context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
      // JOIN could not carry a key with a space or a comma.
      else if (!/^[^\s,]+$/.test(key)) context.reply(connection, ERR_INVALIDMODEPARAM, channel.name, "k", "*");
      else return { add, mode: "k", arg: key };
      return undefined;
    }
    case "l": {
      if (!add) return { add, mode: "l", arg: "" };
      const limit = args.shift();
      if (limit === undefined) context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
      else if (!/^\d{1,9}$/.test(limit) || Number(limit) === 0) context.reply(connection, ERR_INVALIDMODEPARAM, channel.name, "l", limit || "*");
      else return { add, mode: "l", arg: String(Number(limit)) };
      return undefined;
    }
    case "b":
    case "e":
    case "I":
      return { add, mode, arg: normalizeMask(args.shift() ?? "") };
    case "o":
    case "v": {
      const nick = args.shift();
      if (!nick) {
        context.reply(connection, ERR_NEEDMOREPARAMS, "MODE");
        return undefined;
      }
      const target = context.network.findUser(nick);
      if (!target) context.reply(connection, ERR_NOSUCHNICK, nick);
      else if (!channel.members.has(target)) context.reply(connection, ERR_USERNOTINCHANNEL, target.nick, channel.name);
      else return { add, mode, target };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Checks the mode changes an operator asked for, answering list queries and mistakes; the network applies the rest in one MODE line. */
export function channelMode(context: CommandContext, connection: Connection, channel: Channel, modes: string, args: string[]): void {
  const isOp = channel.isOp(connection.user);
  const changes: ModeChange[] = [];
  let add = true;
  let asked = 0;
  for (const ch of modes) {
    if (ch === "+" || ch === "-") {
      add = ch === "+";
      continue;
    }
    if (isListMode(ch) && (args.length === 0 || (ch === "b" && !isOp))) {
      // Without a mask the lists are shown: bans to anyone (also for a non-operator's mask), exceptions to operators.
      if (ch === "b" || isOp) sendList(context, connection, channel, ch);
      else context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
      continue;
    }
    if (!CHANNEL_MODES.includes(ch)) {
      context.reply(connection, ERR_UNKNOWNMODE, ch);
      continue;
    }
    if (!isOp) return context.reply(connection, ERR_CHANOPRIVSNEEDED, channel.name);
    if (++asked > MAX_MODES) break;
    const change = modeChange(context, connection, channel, add, ch, args);
    if (change) changes.push(change);
  }
  if (changes.length > 0) context.network.setChannelModes(connection.user, channel, changes);
}
