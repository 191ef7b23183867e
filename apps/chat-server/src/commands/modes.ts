import type { Connection } from "../connection.js";
import { isChannelName } from "../names.js";
import { ERR_NOSUCHCHANNEL, ERR_NOSUCHNICK, ERR_UMODEUNKNOWNFLAG, ERR_USERSDONTMATCH, RPL_CHANNELMODEIS, RPL_CREATIONTIME, RPL_UMODEIS } from "../numerics.js";
import type { UserModeLetter } from "../state/network.js";
import { channelMode } from "./channel-modes.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";

function userMode(context: CommandContext, connection: Connection, nick: string, modes: string | undefined): void {
  const { user } = connection;
  const target = context.network.findUser(nick);
  if (!target) return context.reply(connection, ERR_NOSUCHNICK, nick);
  if (target !== user) return context.reply(connection, ERR_USERSDONTMATCH);
  if (modes === undefined) {
    return context.reply(connection, RPL_UMODEIS, "+" + (user.invisible ? "i" : "") + (user.oper ? "o" : "") + (user.wallops ? "w" : "") + (user.bot ? "B" : ""));
  }
  let add = true;
  let unknown = false;
  const changes: { add: boolean; mode: UserModeLetter }[] = [];
  for (const ch of modes) {
    if (ch === "+" || ch === "-") add = ch === "+";
    else if (ch === "i" || ch === "o" || ch === "w" || ch === "B") changes.push({ add, mode: ch });
    else unknown = true;
  }
  if (unknown) context.reply(connection, ERR_UMODEUNKNOWNFLAG);
  context.network.setUserModes(user, changes);
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
