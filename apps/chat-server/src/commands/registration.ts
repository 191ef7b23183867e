import { foldCase } from "../casemap.js";
import type { Client } from "../client.js";
import { isValidNick } from "../names.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";
import { sendWelcome } from "./welcome.js";

/** Finishes registration once NICK and USER are in and CAP negotiation is over. */
export function tryRegister(server: ChatServer, client: Client): void {
  if (client.registered || client.capNegotiating || client.nick === "*" || !client.gotUser) return;
  const password = server.options.password;
  if (password !== undefined && client.password !== password) {
    server.reply(client, "464", "Password incorrect");
    server.disconnect(client, "Bad password");
    return;
  }
  server.welcome(client);
  sendWelcome(server, client);
}

const PASS: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(server, client, { params }) {
    if (client.registered) return server.reply(client, "462", "You may not reregister");
    client.password = params[0];
  },
};

const NICK: Command = {
  minParams: 0,
  beforeRegistration: true,
  run(server, client, { params }) {
    const nick = params[0];
    if (!nick) return server.reply(client, "431", "No nickname given");
    if (!isValidNick(nick)) return server.reply(client, "432", nick, "Erroneous nickname");
    const folded = foldCase(nick);
    const holder = server.nicks.get(folded);
    if (holder && holder !== client) return server.reply(client, "433", nick, "Nickname is already in use");
    if (nick === client.nick) return;
    const cluster = server.cluster;
    if (!cluster || folded === foldCase(client.nick)) return changeNick(server, client, nick);
    // Cluster mode: the nick is claimed in Redis first; the client's next commands wait for the answer.
    client.held = true;
    void cluster.claimNick(client, nick).then((ok) => {
      client.held = false;
      if (client.closing) return;
      const taken = server.nicks.get(folded);
      if (ok && (!taken || taken === client || taken.home !== undefined)) changeNick(server, client, nick);
      else server.reply(client, "433", nick, "Nickname is already in use");
      server.resume(client);
    });
  },
};

/** Gives client a nick it may have: peers and the network see NICK, and registration may finish. */
export function changeNick(server: ChatServer, client: Client, nick: string): void {
  const oldNick = client.nick;
  const message = client.registered ? server.said(client, "NICK", [nick]) : undefined;
  if (message) {
    server.rememberNick(client);
    server.toSelfAndPeers(client, message);
  }
  if (server.nicks.get(foldCase(oldNick)) === client) server.nicks.delete(foldCase(oldNick));
  server.nicks.set(foldCase(nick), client);
  client.nick = nick;
  if (message) server.cluster?.nickChanged(client, oldNick, message);
  tryRegister(server, client);
}

const USER: Command = {
  minParams: 4,
  beforeRegistration: true,
  run(server, client, { params }) {
    if (client.registered || client.gotUser) return server.reply(client, "462", "You may not reregister");
    // No ident lookup, so the user name carries '~'; keep only characters safe in a mask.
    const user = (params[0] ?? "").replace(/[^A-Za-z0-9._-]/g, "").slice(0, 10) || "user";
    client.user = "~" + user;
    client.realname = (params[3] ?? "").slice(0, 100);
    client.gotUser = true;
    tryRegister(server, client);
  },
};

const QUIT: Command = {
  minParams: 0,
  beforeRegistration: true,
  run(server, client, { params }) {
    const reason = params[0] ? `Quit: ${params[0]}` : "Quit";
    server.disconnect(client, reason, { quitMessage: reason });
  },
};

const PING: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(server, client, { params }) {
    server.sendFromServer(client, "PONG", server.name, params[0] ?? "");
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
