import { Cap } from "../capabilities.js";
import type { Client } from "../client.js";
import type { IrcMessage } from "@netlab/irc-protocol";
import { AWAYLEN, isChannelName } from "../names.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";

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
function clientTags(client: Client, message: IrcMessage): Record<string, string> | undefined {
  if (!(client.caps & Cap.messageTags) || !message.tags) return undefined;
  let tags: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(message.tags)) {
    if (key.startsWith("+")) (tags ??= {})[key] = value;
  }
  return tags;
}

/** PRIVMSG, NOTICE and TAGMSG: to channels and nicks; NOTICE never draws an error reply. */
function relay(server: ChatServer, client: Client, message: IrcMessage, kind: "PRIVMSG" | "NOTICE" | "TAGMSG"): void {
  const quiet = kind === "NOTICE";
  const [targets, text] = message.params;
  if (!targets) return quiet ? undefined : server.reply(client, "411", `No recipient given (${kind})`);
  if (kind !== "TAGMSG" && !text) return quiet ? undefined : server.reply(client, "412", "No text to send");
  const list = targets.split(",").filter(Boolean);
  if (list.length > maxTargets) return quiet ? undefined : server.reply(client, "407", targets, "Too many recipients");
  const tags = clientTags(client, message);
  if (kind === "TAGMSG" && !tags) return;
  client.lastSpoke = Date.now();
  for (const target of list) {
    // STATUSMSG: @#chan reaches only its operators.
    const opsOnly = target.startsWith("@") && isChannelName(target.slice(1));
    const name = opsOnly ? target.slice(1) : target;
    const params = kind === "TAGMSG" ? [target] : [target, fitText(client.mask, kind, target, text ?? "")];
    if (isChannelName(name)) {
      const channel = server.findChannel(name);
      if (!channel) {
        if (!quiet) server.reply(client, "403", name, "No such channel");
        continue;
      }
      if (!channel.canSpeak(client)) {
        if (!quiet) server.reply(client, "404", channel.name, "Cannot send to channel");
        continue;
      }
      const out = server.said(client, kind, params, tags);
      // What only the operators saw stays out of the channel's history.
      if (kind !== "TAGMSG" && !opsOnly) server.store(historyEntry(client, kind, channel.name, params[1] ?? "", out.tags));
      server.stats.messages++;
      if (opsOnly) {
        for (const member of channel.members.keys()) if (member !== client && channel.isOp(member)) server.deliver(member, out);
      } else if (kind === "TAGMSG") {
        for (const member of channel.members.keys()) if (member !== client && member.caps & Cap.messageTags) server.deliver(member, out);
      } else server.fanout.toChannel(channel, out, client);
      server.cluster?.channelMessage(channel, out, opsOnly ? "ops" : kind === "TAGMSG" ? "tags" : "all");
      if (client.caps & Cap.echoMessage) server.deliver(client, out);
      continue;
    }
    const user = server.findClient(name);
    if (!user) {
      if (!quiet) server.reply(client, "401", name, "No such nick/channel");
      continue;
    }
    const out = server.said(client, kind, params, tags);
    if (kind !== "TAGMSG") server.store(historyEntry(client, kind, user.nick, params[1] ?? "", out.tags));
    server.stats.messages++;
    if (kind !== "TAGMSG" || user.caps & Cap.messageTags) server.deliver(user, out);
    server.cluster?.toUser(user, out);
    if (client.caps & Cap.echoMessage) server.deliver(client, out);
    if (kind === "PRIVMSG" && user.away !== undefined) server.reply(client, "301", user.nick, user.away);
  }
}

function historyEntry(client: Client, command: "PRIVMSG" | "NOTICE", target: string, text: string, tags: { time?: string; msgid?: string }) {
  return { msgid: tags.msgid ?? "", time: tags.time ?? "", source: client.mask, command, target, text };
}

const PRIVMSG: Command = { minParams: 0, run: (server, client, message) => relay(server, client, message, "PRIVMSG") };
const NOTICE: Command = { minParams: 0, run: (server, client, message) => relay(server, client, message, "NOTICE") };
const TAGMSG: Command = { minParams: 1, run: (server, client, message) => relay(server, client, message, "TAGMSG") };

const AWAY: Command = {
  minParams: 0,
  run(server, client, { params }) {
    const text = params[0]?.slice(0, AWAYLEN);
    client.away = text || undefined;
    if (client.away === undefined) server.reply(client, "305", "You are no longer marked as being away");
    else server.reply(client, "306", "You have been marked as being away");
    const notice = server.said(client, "AWAY", client.away === undefined ? [] : [client.away]);
    for (const peer of server.peersOf(client)) if (peer.caps & Cap.awayNotify) server.deliver(peer, notice);
    server.cluster?.userChanged(client, notice);
  },
};

export const messageCommands = { PRIVMSG, NOTICE, TAGMSG, AWAY };
