import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { globMatcher } from "../glob.js";
import { isChannelName } from "../names.js";
import { RPL_ENDOFWHO, RPL_WHOREPLY, RPL_WHOSPCRPL } from "../numerics.js";
import type { Channel, User } from "../state/model.js";
import type { Network } from "../state/network.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { canSeeChannel, canSeeUser, idleSeconds, ipShownTo, shownChannel } from "./visibility.js";

/** The WHOX fields we know, in the order a 354 carries them whatever order they were asked in (IRCv3 whox). */
const WHOX_FIELDS = "tcuihsnfdlaor";

/** What the second parameter of WHO asks: only IRC operators (`o`), and for WHOX the fields and the token. */
interface WhoQuery {
  readonly onlyOpers: boolean;
  /** The WHOX fields wanted, in reply order; undefined for a plain WHO (352). */
  readonly fields: string | undefined;
  readonly token: string;
}

/** Parses `[o][%fields[,token]]`; unknown field letters are ignored, and a token that is not 1-3 digits reads as 0. */
function parseWhoQuery(param: string | undefined): WhoQuery {
  const text = param ?? "";
  const percent = text.indexOf("%");
  const onlyOpers = (percent < 0 ? text : text.slice(0, percent)).includes("o");
  if (percent < 0) return { onlyOpers, fields: undefined, token: "0" };
  const [asked = "", token = ""] = text.slice(percent + 1).split(",");
  const wanted = asked.toLowerCase();
  const fields = [...WHOX_FIELDS].filter((field) => wanted.includes(field)).join("");
  return { onlyOpers, fields, token: /^\d{1,3}$/.test(token) ? token : "0" };
}

/** H (here) or G (gone), `*` for an IRC operator, the channel prefix (every one with multi-prefix), B for a bot. */
function flagsOf(connection: Connection, target: User, channel: Channel | undefined): string {
  let flags = target.away === undefined ? "H" : "G";
  if (target.oper) flags += "*";
  if (channel) flags += channel.prefixOf(target, (connection.caps & Cap.multiPrefix) !== 0);
  if (target.bot) flags += "B";
  return flags;
}

function whoxField(context: CommandContext, connection: Connection, query: WhoQuery, target: User, channel: Channel | undefined, field: string): string {
  switch (field) {
    case "t":
      return query.token;
    case "c":
      return channel?.name ?? "*";
    case "u":
      return target.user;
    case "i":
      return ipShownTo(connection.user, target);
    case "h":
      return target.host;
    case "s":
      return context.server.name;
    case "n":
      return target.nick;
    case "f":
      return flagsOf(connection, target, channel);
    case "d":
      return "0";
    case "l":
      // Another node's user: its activity is not heard here.
      return String(idleSeconds(target) ?? 0);
    case "a":
      return target.account ?? "0";
    case "o":
      return "0";
    case "r":
    default:
      return target.realname;
  }
}

function replyOne(context: CommandContext, connection: Connection, query: WhoQuery, target: User, channel: Channel | undefined): void {
  const { fields } = query;
  if (fields === undefined) {
    const server = context.server.name;
    context.reply(connection, RPL_WHOREPLY, channel?.name ?? "*", target.user, target.host, server, target.nick, flagsOf(connection, target, channel), `0 ${target.realname}`);
    return;
  }
  context.reply(connection, RPL_WHOSPCRPL, ...[...fields].map((field) => whoxField(context, connection, query, target, channel, field)));
}

/** Whether mask (a glob) matches target's nick, user name, host, realname or nick!user@host. */
function matchesUser(matches: (text: string) => boolean, target: User): boolean {
  return matches(target.nick) || matches(target.user) || matches(target.host) || matches(target.realname) || matches(target.mask);
}

/** The users a WHO mask lists for viewer, each with the channel its reply names. */
function whoTargets(network: Network, viewer: User, mask: string): [User, Channel | undefined][] {
  if (isChannelName(mask)) {
    const channel = network.findChannel(mask);
    if (!channel || !canSeeChannel(viewer, channel)) return [];
    // Outsiders see the channel's visible members only.
    const inside = channel.members.has(viewer) || viewer.oper;
    return [...channel.members.keys()].filter((member) => inside || !member.invisible).map((member) => [member, channel]);
  }
  // An exact nick names its user even when invisible: +i hides users from masks only.
  const named = /[*?]/.test(mask) ? undefined : network.findUser(mask);
  if (named) return [[named, shownChannel(viewer, named)]];
  const matches = globMatcher(mask === "0" ? "*" : mask);
  const found: [User, Channel | undefined][] = [];
  // network.users() holds the users of every node.
  for (const user of network.users()) {
    if (canSeeUser(viewer, user) && matchesUser(matches, user)) found.push([user, shownChannel(viewer, user)]);
  }
  return found;
}

/** WHO <mask> [o][%fields[,token]]: a 352 (or with WHOX fields a 354) per user listed, then 315. */
export const WHO: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const mask = params[0] ?? "*";
    const query = parseWhoQuery(params[1]);
    for (const [target, channel] of whoTargets(context.network, connection.user, mask)) {
      if (!query.onlyOpers || target.oper) replyOne(context, connection, query, target, channel);
    }
    context.reply(connection, RPL_ENDOFWHO, mask);
  },
};
