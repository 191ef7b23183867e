import type { IrcMessage } from "@netlab/irc-protocol";
import { foldCase } from "../casemap.js";
import type { Connection } from "../connection.js";
import type { Channel } from "../state/model.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { serviceNotice } from "./service-notice.js";

/** The service's name, as clients address it (`/msg ChanServ ...`, `/cs ...`). */
export const CHANSERV = "ChanServ";

function say(context: CommandContext, connection: Connection, text: string): void {
  connection.send(serviceNotice(CHANSERV, context.server.servicesName, connection.nick, text));
}

/** A founder joining its channel gets +o back, from the server, however the channel was made again. */
export function greetFounder(context: CommandContext, connection: Connection, channel: Channel): void {
  const { accounts } = context;
  const account = connection.user.account;
  if (!accounts || account === undefined) return;
  accounts.store.founder(channel.folded).then(
    (founder) => {
      if (founder !== undefined && foldCase(founder) === foldCase(account)) context.network.restoreOp(channel, connection.user, context.server.name);
    },
    (error: unknown) => context.logger.warn({ err: error }, "cannot read a channel's founder"),
  );
}

/** One ChanServ command line: REGISTER, DROP, INFO, HELP. */
export function chanserv(context: CommandContext, connection: Connection, text: string): void {
  const { accounts } = context;
  if (!accounts) return say(context, connection, "This server keeps no accounts");
  const [word = "", name = ""] = text.trim().split(/\s+/);
  const account = connection.user.account;
  const channel = context.network.findChannel(name);
  const failed = (error: unknown): void => {
    context.logger.error({ err: error }, "ChanServ command failed");
    say(context, connection, "Accounts are unavailable; try again later");
  };
  switch (word.toUpperCase()) {
    case "REGISTER":
      if (account === undefined) return say(context, connection, "Log in first (NickServ IDENTIFY, or SASL)");
      if (!channel?.isOp(connection.user)) return say(context, connection, `You must be an operator of ${name || "the channel"} to register it`);
      return context.hold(
        connection,
        accounts.store.claimChannel(channel.folded, account),
        (founder) => say(context, connection, foldCase(founder) === foldCase(account) ? `${channel.name} is registered to ${account}` : `${channel.name} is already registered to ${founder}`),
        failed,
      );
    case "DROP":
      if (account === undefined) return say(context, connection, "Log in first (NickServ IDENTIFY, or SASL)");
      return context.hold(
        connection,
        accounts.store.founder(foldCase(name)).then(async (founder) => {
          if (founder === undefined || foldCase(founder) !== foldCase(account)) return false;
          await accounts.store.releaseChannel(foldCase(name));
          return true;
        }),
        (dropped) => say(context, connection, dropped ? `${name} is no longer registered` : `${name} is not registered to you`),
        failed,
      );
    case "INFO":
      return context.hold(connection, accounts.store.founder(foldCase(name)), (founder) => say(context, connection, founder === undefined ? `${name} is not registered` : `${name} is registered to ${founder}`), failed);
    default:
      say(context, connection, "ChanServ keeps channels for accounts: REGISTER <#channel> (as its operator), DROP <#channel>, INFO <#channel>. A channel's founder gets +o back whenever it joins.");
  }
}

function viaCommand(context: CommandContext, connection: Connection, message: IrcMessage): void {
  chanserv(context, connection, message.params.join(" "));
}

const CS: Command = { minParams: 0, run: viaCommand };

export const chanservCommands = { CS, CHANSERV: CS };
