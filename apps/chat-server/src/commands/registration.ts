import { foldCase } from "../casemap.js";
import type { Connection } from "../connection.js";
import type { User } from "../state/model.js";
import { isValidNick } from "../names.js";
import { ERR_ALREADYREGISTERED, ERR_ERRONEUSNICKNAME, ERR_NEEDMOREPARAMS, ERR_NICKNAMEINUSE, ERR_NONICKNAMEGIVEN, ERR_PASSWDMISMATCH } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { REALNAMELEN } from "./identity.js";
import { CHANSERV } from "./chanserv.js";
import { joinAccountUser } from "./devices.js";
import { NICKSERV } from "./nickserv.js";
import { sendWelcome } from "./welcome.js";

/** Finishes registration once NICK and USER are in and CAP negotiation is over. */
export function tryRegister(context: CommandContext, connection: Connection): void {
  if (connection.registered || connection.capNegotiating || !connection.gotUser) return;
  if (connection.nick === "*" && !connection.nickOfAccount) return;
  const password = context.server.password;
  if (password !== undefined && connection.password !== password) {
    context.reply(connection, ERR_PASSWDMISMATCH);
    context.disconnect(connection, "Bad password");
    return;
  }
  const { login } = connection;
  if (!login) return complete(context, connection);
  // Multiclient: a connection logged into an account whose user is here becomes one more device of it.
  const existing = context.network.accountUser(login.account);
  if (existing?.registered && existing !== connection.user) {
    if (existing.home === undefined) return joinAccountUser(context, connection, existing);
    // The user is on another node: that node runs this connection from now on, and the nick this connection chose is free again.
    if (context.relayDevice(connection, existing)) return context.network.releaseNick(connection.user);
  }
  if (!login.alwaysOn || !context.presence || existing) return complete(context, connection);
  // An always-on user not on the network (its node went down, or it was never back): it comes back first.
  context.hold(
    connection,
    context.presence.restore(login.account),
    (restored) => {
      if (restored?.registered && restored.home === undefined && restored !== connection.user) joinAccountUser(context, connection, restored);
      else complete(context, connection);
    },
    (error: unknown) => {
      context.logger.warn({ err: error }, "cannot bring back an always-on user");
      complete(context, connection);
    },
  );
}

/** Registers the connection's own user, logged into its account if it has one. */
function complete(context: CommandContext, connection: Connection): void {
  if (connection.nick === "*") {
    // NICK named the account's user, which has left since: the client must choose a nick again.
    connection.nickOfAccount = false;
    return context.reply(connection, ERR_NICKNAMEINUSE, connection.requestedNick ?? "*");
  }
  const { login } = connection;
  if (login) context.network.login(connection.user, login.account, login.alwaysOn);
  context.registered(connection);
  sendWelcome(context, connection);
  context.nickTaken(connection.user);
}

/** True when holder is the user of the account connection logged into: its nick is this connection's to share. */
function ownAccountUser(connection: Connection, holder: User): boolean {
  const account = connection.login?.account;
  return account !== undefined && holder.account !== undefined && foldCase(holder.account) === foldCase(account);
}

const PASS: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(context, connection, { params }) {
    if (connection.registered) return context.reply(connection, ERR_ALREADYREGISTERED);
    connection.password = params[0];
  },
};

/** Gives the connection's user a nick it may have; registration may finish. */
function changeNick(context: CommandContext, connection: Connection, nick: string): void {
  if (!context.network.setNick(connection.user, nick)) return context.reply(connection, ERR_NICKNAMEINUSE, nick);
  if (connection.registered) context.nickTaken(connection.user);
  else tryRegister(context, connection);
}

const NICK: Command = {
  minParams: 0,
  beforeRegistration: true,
  run(context, connection, { params }) {
    const nick = params[0];
    if (!nick) return context.reply(connection, ERR_NONICKNAMEGIVEN);
    if (!isValidNick(nick) || foldCase(nick) === foldCase(NICKSERV) || foldCase(nick) === foldCase(CHANSERV)) return context.reply(connection, ERR_ERRONEUSNICKNAME, nick);
    const { user } = connection;
    if (!connection.registered) connection.requestedNick = nick;
    const holder = context.network.nickHolder(nick);
    if (holder && holder !== user && !connection.registered && holder.registered && ownAccountUser(connection, holder)) {
      // Another device of this connection's account holds it: registration joins that user.
      connection.nickOfAccount = true;
      return tryRegister(context, connection);
    }
    if (holder && holder !== user) return context.reply(connection, ERR_NICKNAMEINUSE, nick);
    if (nick === user.nick) return;
    const { claims } = context;
    if (!claims || foldCase(nick) === foldCase(user.nick)) return changeNick(context, connection, nick);
    // Cluster mode: the nick is claimed network-wide first; the connection's next commands wait for the answer.
    context.hold(connection, claims.claimNick(user, nick), (ok) => {
      if (ok) changeNick(context, connection, nick);
      else context.reply(connection, ERR_NICKNAMEINUSE, nick);
    });
  },
};

const USER: Command = {
  minParams: 4,
  beforeRegistration: true,
  run(context, connection, { params }) {
    if (connection.registered || connection.gotUser) return context.reply(connection, ERR_ALREADYREGISTERED);
    // Modern IRC: an empty user name or realname is a missing parameter, not a default.
    if (!params[0] || !params[3]) return context.reply(connection, ERR_NEEDMOREPARAMS, "USER");
    // No ident lookup, so the user name carries '~'; keep only characters safe in a mask.
    const name = (params[0] ?? "").replace(/[^A-Za-z0-9._-]/g, "").slice(0, 10) || "user";
    context.network.setIdent(connection.user, "~" + name, (params[3] ?? "").slice(0, REALNAMELEN));
    connection.gotUser = true;
    tryRegister(context, connection);
  },
};

const QUIT: Command = {
  minParams: 0,
  beforeRegistration: true,
  run(context, connection, { params }) {
    const reason = params[0] ? `Quit: ${params[0]}` : "Quit";
    context.disconnect(connection, reason, { quitMessage: reason });
  },
};

const PING: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(context, connection, { params }) {
    context.sendFromServer(connection, "PONG", context.server.name, params[0] ?? "");
  },
};

const PONG: Command = {
  minParams: 0,
  beforeRegistration: true,
  run() {
    // Any line already counts as activity; nothing more to do.
  },
};

export const registrationCommands = { PASS, NICK, USER, QUIT, PING, PONG };
