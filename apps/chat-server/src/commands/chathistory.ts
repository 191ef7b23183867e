import type { Connection } from "../connection.js";
import { partyOf, type HistoryEntry, type HistoryPosition, type HistoryReader } from "../history.js";
import { isChannelName } from "../names.js";
import { ERR_UNKNOWNCOMMAND } from "../numerics.js";
import { Outgoing } from "../outgoing.js";
import { replayLine, sendBatch } from "./batch.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { privateKeyWith } from "./private-history.js";
import { fail } from "./standard-replies.js";

/** Most messages one CHATHISTORY request returns (CHATHISTORY in 005). */
export const CHATHISTORY_LIMIT = 1000;

/** A reference from the client: a msgid, a timestamp, or `*` (LATEST only). */
type Reference = { msgid: string } | { time: number } | "*";

const timestampPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function parseReference(text: string): Reference | undefined {
  if (text === "*") return "*";
  if (text.startsWith("msgid=") && text.length > 6) return { msgid: text.slice(6) };
  if (text.startsWith("timestamp=")) {
    const value = text.slice(10);
    const time = Date.parse(value);
    if (timestampPattern.test(value) && Number.isFinite(time)) return { time };
  }
  return undefined;
}

/** A bound for the store: a msgid's own place, or a timestamp as the first or last possible place at that time. */
async function position(store: HistoryReader, key: string, ref: Exclude<Reference, "*">, side: "after" | "before"): Promise<HistoryPosition | undefined> {
  if ("msgid" in ref) return store.find(key, ref.msgid);
  return { time: ref.time, seq: side === "after" ? Number.MAX_SAFE_INTEGER : 0 };
}

async function select(store: HistoryReader, key: string, sub: string, refs: Exclude<Reference, "*">[], limit: number, latestAll: boolean): Promise<HistoryEntry[]> {
  const [first, second] = refs;
  if (sub === "LATEST") {
    if (latestAll || !first) return store.range(key, { limit, from: "end" });
    const after = await position(store, key, first, "after");
    return after ? store.range(key, { after, limit, from: "end" }) : [];
  }
  if (!first) return [];
  if (sub === "BEFORE") {
    const before = await position(store, key, first, "before");
    return before ? store.range(key, { before, limit, from: "end" }) : [];
  }
  if (sub === "AFTER") {
    const after = await position(store, key, first, "after");
    return after ? store.range(key, { after, limit, from: "start" }) : [];
  }
  if (sub === "AROUND") {
    const at = await position(store, key, first, "before");
    if (!at) return [];
    const older = await store.range(key, { before: at, limit: Math.floor(limit / 2), from: "end" });
    // The referenced message itself opens the newer half.
    const newer = await store.range(key, { after: { time: at.time, seq: at.seq - 1 }, limit: limit - older.length, from: "start" });
    return [...older, ...newer];
  }
  // BETWEEN: the limit counts from the first reference, whichever way the second one lies.
  if (!second) return [];
  const a = await position(store, key, first, "after");
  const b = await position(store, key, second, "before");
  if (!a || !b) return [];
  const forward = a.time < b.time || (a.time === b.time && a.seq < b.seq);
  if (forward) return store.range(key, { after: a, before: b, limit, from: "start" });
  const high = await position(store, key, first, "before");
  const low = await position(store, key, second, "after");
  return high && low ? store.range(key, { after: low, before: high, limit, from: "end" }) : [];
}

/** The conversations with messages between two times, as CHATHISTORY TARGETS lines. */
async function targetLines(context: CommandContext, connection: Connection, after: number, before: number, limit: number): Promise<Outgoing[]> {
  const channels = new Map([...connection.user.channels].map((channel) => [channel.folded, channel.name]));
  const found = await context.history.targets(partyOf(connection.nick, connection.user.account), [...channels.keys()], after, before, limit);
  return found.map(({ key, name, time }) => new Outgoing(context.server.name, "CHATHISTORY", ["TARGETS", channels.get(key) ?? name, new Date(time).toISOString()]));
}

function targets(context: CommandContext, connection: Connection, params: string[], failed: (error: unknown) => void): void {
  const [, fromText = "", toText = "", limitText = ""] = params;
  const from = parseReference(fromText);
  const to = parseReference(toText);
  const limit = Number(limitText);
  if (!from || !to || from === "*" || to === "*" || !("time" in from) || !("time" in to) || !Number.isInteger(limit) || limit < 1) {
    return fail(context, connection, "CHATHISTORY", "INVALID_PARAMS", ["TARGETS"], "TARGETS wants two timestamps and a limit");
  }
  const lines = targetLines(context, connection, Math.min(from.time, to.time), Math.max(from.time, to.time), Math.min(limit, CHATHISTORY_LIMIT));
  context.later(connection, lines, (found) => sendBatch(context.server.name, connection, "draft/chathistory-targets", [], found), failed);
}

const subcommands = new Set(["LATEST", "BEFORE", "AFTER", "AROUND", "BETWEEN", "TARGETS"]);

function chathistory(context: CommandContext, connection: Connection, params: string[], failed: (error: unknown) => void): void {
  const sub = (params[0] ?? "").toUpperCase();
  if (!subcommands.has(sub)) return fail(context, connection, "CHATHISTORY", "INVALID_PARAMS", [sub || "*"], "Unknown CHATHISTORY subcommand");
  if (sub === "TARGETS") return targets(context, connection, params, failed);
  const wanted = sub === "BETWEEN" ? 5 : 4;
  if (params.length < wanted) return fail(context, connection, "CHATHISTORY", "NEED_MORE_PARAMS", [sub], "Missing parameters");
  const target = params[1] ?? "";
  const refTexts = params.slice(2, wanted - 1);
  const refs = refTexts.map(parseReference);
  const limit = Number(params[wanted - 1]);
  const latestAll = sub === "LATEST" && refs[0] === "*";
  if (refs.some((ref) => ref === undefined || (ref === "*" && !latestAll)) || !Number.isInteger(limit) || limit < 1) {
    return fail(context, connection, "CHATHISTORY", "INVALID_PARAMS", [sub, ...refTexts], "Invalid reference or limit");
  }
  let key: Promise<string>;
  let name = target;
  if (isChannelName(target)) {
    // Only members read a channel's history.
    const channel = context.network.findChannel(target);
    if (!channel?.members.has(connection.user)) return fail(context, connection, "CHATHISTORY", "INVALID_TARGET", [sub, target], "Messages could not be retrieved");
    key = Promise.resolve(channel.folded);
    name = channel.name;
  } else {
    if (!target) return fail(context, connection, "CHATHISTORY", "INVALID_TARGET", [sub, target || "*"], "Messages could not be retrieved");
    key = privateKeyWith(context, connection.user, target);
  }
  const entries = key.then((found) => select(context.history, found, sub, refs.filter((ref): ref is Exclude<Reference, "*"> => ref !== undefined && ref !== "*"), Math.min(limit, CHATHISTORY_LIMIT), latestAll));
  context.later(connection, entries, (found) => sendBatch(context.server.name, connection, "chathistory", [name], found.map(replayLine)), failed);
}

/** CHATHISTORY (IRCv3 draft/chathistory): LATEST, BEFORE, AFTER, AROUND, BETWEEN, TARGETS. */
const CHATHISTORY: Command = {
  minParams: 1,
  run(context, connection, { params }) {
    if (!context.history.enabled) return context.reply(connection, ERR_UNKNOWNCOMMAND, "CHATHISTORY");
    const failed = (error: unknown): void => {
      context.logger.error({ err: error }, "CHATHISTORY failed");
      fail(context, connection, "CHATHISTORY", "MESSAGE_ERROR", [(params[0] ?? "*").toUpperCase(), params[1] ?? "*"], "Messages could not be retrieved");
    };
    try {
      chathistory(context, connection, params, failed);
    } catch (error) {
      failed(error);
    }
  },
};

export const historyCommands = { CHATHISTORY };
