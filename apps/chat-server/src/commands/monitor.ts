import type { Connection } from "../connection.js";
import { isValidNick } from "../names.js";
import { ERR_MONLISTFULL, ERR_NEEDMOREPARAMS, RPL_ENDOFMONLIST, RPL_MONLIST, RPL_MONOFFLINE, RPL_MONONLINE, type Numeric } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";

/** A line's length without its CR LF. */
const LINE_LENGTH = 510;

/** items joined with commas into as few lists as there are of at most room characters. */
function commaLists(items: readonly string[], room: number): string[] {
  const lists: string[] = [];
  let list = "";
  for (const item of items) {
    if (list && list.length + 1 + item.length > room) {
      lists.push(list);
      list = "";
    }
    list = list ? `${list},${item}` : item;
  }
  if (list) lists.push(list);
  return lists;
}

/** Characters a line leaves for a numeric's list: less the prefix, code, nick and other parameters before it, and its colon or the text after it. */
function roomFor(context: CommandContext, connection: Connection, numeric: Numeric, ...others: string[]): number {
  const before = [`:${context.server.name}`, numeric.code, connection.nick, ...others].join(" ").length + 1;
  const after = numeric.text === undefined ? 1 : numeric.text.length + 2;
  return LINE_LENGTH - before - after;
}

/** items, comma-joined, in as many numerics as it takes to keep each line within 512 bytes (none for no items). */
function replyList(context: CommandContext, connection: Connection, numeric: Numeric, items: readonly string[]): void {
  for (const list of commaLists(items, roomFor(context, connection, numeric))) context.reply(connection, numeric, list);
}

/** 730 with the masks of the targets online, 731 with the others as given. */
function replyStatus(context: CommandContext, connection: Connection, targets: readonly string[]): void {
  const online: string[] = [];
  const offline: string[] = [];
  for (const target of targets) {
    const user = context.network.findUser(target);
    if (user) online.push(user.mask);
    else offline.push(target);
  }
  replyList(context, connection, RPL_MONONLINE, online);
  replyList(context, connection, RPL_MONOFFLINE, offline);
}

/** MONITOR + / - targets, C (clear), L (list), S (status): IRCv3 monitor; an unknown modifier is ignored. */
const MONITOR: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    const { monitors } = context;
    const modifier = (params[0] ?? "").toUpperCase();
    const targets = (params[1] ?? "").split(",").filter(Boolean);
    if ((modifier === "+" || modifier === "-") && targets.length === 0) return context.reply(connection, ERR_NEEDMOREPARAMS, "MONITOR");
    switch (modifier) {
      case "+": {
        // Only a nick can come online: masks and other junk are dropped without a word.
        const { watched, refused } = monitors.add(connection, targets.filter(isValidNick));
        replyStatus(context, connection, watched);
        if (refused.length === 0) return;
        // One 734, naming as many of the refused targets as its line holds.
        const limit = String(monitors.limit);
        const [first = ""] = commaLists(refused, roomFor(context, connection, ERR_MONLISTFULL, limit));
        context.reply(connection, ERR_MONLISTFULL, limit, first);
        return;
      }
      case "-":
        return monitors.remove(connection, targets);
      case "C":
        return monitors.clear(connection);
      case "L":
        replyList(context, connection, RPL_MONLIST, monitors.list(connection));
        return context.reply(connection, RPL_ENDOFMONLIST);
      case "S":
        return replyStatus(context, connection, monitors.list(connection));
    }
  },
};

export const monitorCommands = { MONITOR };
