import type { IrcMessage } from "@netlab/irc-protocol";
import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { AWAYLEN, isChannelName } from "../names.js";
import { ERR_CANNOTSENDTOCHAN, ERR_NORECIPIENT, ERR_NOSUCHCHANNEL, ERR_NOSUCHNICK, ERR_NOTEXTTOSEND, ERR_TOOMANYTARGETS, RPL_AWAY, RPL_NOWAWAY, RPL_UNAWAY } from "../numerics.js";
import { foldCase } from "../casemap.js";
import type { Command } from "./command.js";
import { chanserv } from "./chanserv.js";
import { nickserv } from "./nickserv.js";
import type { CommandContext } from "./context.js";

const maxTargets = 4;

/**
 * Cuts text so `:mask COMMAND target :text` CR LF fits in 512 bytes as relayed, at a
 * character boundary; a client may send 510 bytes, but the source added on relay is ours.
 */
export function fitText(mask: string, command: string, target: string, text: string): string {
  const room = 512 - Buffer.byteLength(`:${mask} ${command} ${target} :\r\n`);
  if (Buffer.byteLength(text) <= room) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > room) break;
    out += ch;
    used += size;
  }
  return out;
}

/** The client-only tags (`+name`) a message-tags client attached, to relay. */
function clientTags(connection: Connection, message: IrcMessage): Record<string, string> | undefined {
  if (!(connection.caps & Cap.messageTags) || !message.tags) return undefined;
  let tags: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(message.tags)) {
    if (key.startsWith("+")) (tags ??= {})[key] = value;
  }
  return tags;
}

/** PRIVMSG, NOTICE and TAGMSG: to channels and nicks; NOTICE never draws an error reply. */
function relay(context: CommandContext, connection: Connection, message: IrcMessage, kind: "PRIVMSG" | "NOTICE" | "TAGMSG"): void {
  const quiet = kind === "NOTICE";
  const [targets, text] = message.params;
  if (!targets) return quiet ? undefined : context.reply(connection, ERR_NORECIPIENT, `No recipient given (${kind})`);
  if (kind !== "TAGMSG" && !text) return quiet ? undefined : context.reply(connection, ERR_NOTEXTTOSEND);
  const list = targets.split(",").filter(Boolean);
  if (list.length > maxTargets) return quiet ? undefined : context.reply(connection, ERR_TOOMANYTARGETS, targets);
  const tags = clientTags(connection, message);
  if (kind === "TAGMSG" && !tags) return;
  const { network } = context;
  const { user } = connection;
  for (const target of list) {
    // STATUSMSG: @#chan reaches only its operators.
    const opsOnly = target.startsWith("@") && isChannelName(target.slice(1));
    const name = opsOnly ? target.slice(1) : target;
    const params = kind === "TAGMSG" ? [target] : [target, fitText(user.mask, kind, target, text ?? "")];
    if (isChannelName(name)) {
      const channel = network.findChannel(name);
      if (!channel) {
        if (!quiet) context.reply(connection, ERR_NOSUCHCHANNEL, name);
        continue;
      }
      const audience = opsOnly ? "ops" : kind === "TAGMSG" ? "tags" : "all";
      if (!network.message(user, connection, channel, kind, params, tags, audience) && !quiet) context.reply(connection, ERR_CANNOTSENDTOCHAN, channel.name);
      continue;
    }
    if (foldCase(name) === "nickserv" || foldCase(name) === "chanserv") {
      if (kind === "PRIVMSG") (foldCase(name) === "nickserv" ? nickserv : chanserv)(context, connection, text ?? "");
      continue;
    }
    const recipient = network.findUser(name);
    if (!recipient) {
      if (!quiet) context.reply(connection, ERR_NOSUCHNICK, name);
      continue;
    }
    network.message(user, connection, recipient, kind, params, tags, "all");
    if (kind === "PRIVMSG" && recipient.away !== undefined) context.reply(connection, RPL_AWAY, recipient.nick, recipient.away);
  }
}

const PRIVMSG: Command = { minParams: 0, run: (context, connection, message) => relay(context, connection, message, "PRIVMSG") };
const NOTICE: Command = { minParams: 0, run: (context, connection, message) => relay(context, connection, message, "NOTICE") };
const TAGMSG: Command = { minParams: 1, run: (context, connection, message) => relay(context, connection, message, "TAGMSG") };

const AWAY: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const text = params[0]?.slice(0, AWAYLEN) || undefined;
    context.reply(connection, text === undefined ? RPL_UNAWAY : RPL_NOWAWAY);
    context.network.setAway(connection.user, text);
  },
};

export const messageCommands = { PRIVMSG, NOTICE, TAGMSG, AWAY };
