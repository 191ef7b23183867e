import { ERR_NOOPERHOST, ERR_NOPRIVILEGES, ERR_NOSUCHNICK, ERR_PASSWDMISMATCH, RPL_YOUREOPER } from "../numerics.js";
import type { Command } from "./command.js";

const OPER: Command = {
  minParams: 2,
  run(context, connection, { params }) {
    const [name = "", password = ""] = params;
    const expected = context.server.opers[name];
    if (expected === undefined) return context.reply(connection, ERR_NOOPERHOST);
    if (expected !== password) {
      context.limitHit("oper_password", connection);
      return context.reply(connection, ERR_PASSWDMISMATCH);
    }
    context.reply(connection, RPL_YOUREOPER);
    context.network.operUp(connection.user);
    context.logger.info({ nick: connection.nick, oper: name }, "oper up");
  },
};

const KILL: Command = {
  minParams: 2,
  run(context, connection, { params }) {
    if (!connection.user.oper) return context.reply(connection, ERR_NOPRIVILEGES);
    const [nick = "", reason = ""] = params;
    const target = context.network.findUser(nick);
    if (!target) return context.reply(connection, ERR_NOSUCHNICK, nick);
    context.logger.info({ nick: target.nick, by: connection.nick, reason }, "kill");
    // Its connections close wherever they are: here at once, on another node by that node.
    context.network.kill(connection.user, target, reason);
  },
};

/** WALLOPS text: an operator's message to every user with +w, on every node. */
const WALLOPS: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    if (!connection.user.oper) return context.reply(connection, ERR_NOPRIVILEGES);
    context.network.wallops(connection.user, params[0] ?? "");
  },
};

export const operatorCommands = { OPER, KILL, WALLOPS };
