import type { Command } from "./command.js";

const OPER: Command = {
  minParams: 2,
  run(server, client, { params }) {
    const [name = "", password = ""] = params;
    const expected = server.options.opers?.[name];
    if (expected === undefined) return server.reply(client, "491", "No O-lines for your host");
    if (expected !== password) {
      server.limitHit("oper_password", client);
      return server.reply(client, "464", "Password incorrect");
    }
    client.oper = true;
    client.account = name;
    server.reply(client, "381", "You are now an IRC operator");
    server.deliver(client, server.said(client, "MODE", [client.nick, "+o"]));
    server.cluster?.userChanged(client);
    server.logger.info({ nick: client.nick, oper: name }, "oper up");
  },
};

const KILL: Command = {
  minParams: 2,
  run(server, client, { params }) {
    if (!client.oper) return server.reply(client, "481", "Permission Denied- You're not an IRC operator");
    const [nick = "", reason = ""] = params;
    const target = server.findClient(nick);
    if (!target) return server.reply(client, "401", nick, "No such nick/channel");
    const kill = server.said(client, "KILL", [target.nick, reason]);
    const text = `Killed (${client.nick} (${reason}))`;
    server.logger.info({ nick: target.nick, by: client.nick, reason }, "kill");
    // A user on another node is disconnected by its own node.
    if (target.home !== undefined) return server.cluster?.kill(target, kill, text);
    server.deliver(target, kill);
    server.disconnect(target, text, { quitMessage: text });
  },
};

export const operatorCommands = { OPER, KILL };
