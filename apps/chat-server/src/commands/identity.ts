import { ERR_NEEDMOREPARAMS, ERR_NOPRIVILEGES, ERR_NOSUCHNICK } from "../numerics.js";
import type { Command } from "./command.js";
import { fail } from "./standard-replies.js";

/** Longest realname (USER cuts to it too). */
export const REALNAMELEN = 100;

/** SETNAME (IRCv3 setname): a new realname, seen by the user and its setname peers. */
const SETNAME: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const realname = params[0] ?? "";
    if (!realname || realname.length > REALNAMELEN) {
      return fail(context, connection, "SETNAME", "INVALID_REALNAME", [], `Realname must be 1 to ${REALNAMELEN} characters`);
    }
    context.network.setRealname(connection.user, realname);
  },
};

// A user name and a host with only characters safe in a nick!user@host mask.
const userName = /^~?[A-Za-z0-9._-]{1,16}$/;
const hostName = /^[A-Za-z0-9._/-][A-Za-z0-9._:/-]{0,63}$/;

/** CHGHOST nick user host: an operator gives a user another user name and host (chghost clients see it). */
const CHGHOST: Command = {
  minParams: 3,
  run(context, connection, { params }) {
    if (!connection.user.oper) return context.reply(connection, ERR_NOPRIVILEGES);
    const [nick = "", name = "", host = ""] = params;
    const target = context.network.findUser(nick);
    if (!target) return context.reply(connection, ERR_NOSUCHNICK, nick);
    if (!userName.test(name) || !hostName.test(host)) return context.reply(connection, ERR_NEEDMOREPARAMS, "CHGHOST");
    context.network.setHost(target, name, host);
  },
};

export const identityCommands = { SETNAME, CHGHOST };
