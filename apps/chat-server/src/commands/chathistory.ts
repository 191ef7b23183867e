import { randomUUID } from "node:crypto";
import { Cap } from "../capabilities.js";
import { foldCase } from "../casemap.js";
import type { Client } from "../client.js";
import { conversationKey, type HistoryEntry, type HistoryPosition, type HistoryStore } from "../history.js";
import { isChannelName } from "../names.js";
import { Outgoing } from "../outgoing.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";

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

/** FAIL CHATHISTORY CODE context... :description (IRCv3 standard replies). */
function fail(server: ChatServer, client: Client, code: string, context: string[], description: string): void {
  client.send(`:${server.name} FAIL CHATHISTORY ${code} ${[...context, `:${description}`].join(" ")}\r\n`);
}

/** Sends entries to client, inside a batch of type when it has the batch capability. */
export function sendBatch(server: ChatServer, client: Client, type: string, params: string[], lines: Outgoing[]): void {
  const batched = (client.caps & Cap.batch) !== 0;
  // randomUUID draws from a cached pool; randomBytes asks the system for entropy on every call.
  const id = randomUUID().replaceAll("-", "").slice(0, 12);
  // One string for the whole batch: a replayed line goes to this client alone, so no per-line Buffer is kept.
  let text = batched ? `:${server.name} BATCH +${id} ${[type, ...params].join(" ")}\r\n` : "";
  for (const line of lines) {
    if (batched) line.tags.batch = id;
    text += line.textFor(client.caps);
  }
  if (batched) text += `:${server.name} BATCH -${id}\r\n`;
  if (text) client.send(text, lines.length + (batched ? 2 : 0));
}

/** A stored message as a line to replay, with its original time and msgid. */
export function replayLine(entry: HistoryEntry): Outgoing {
  return new Outgoing(entry.source, entry.command, [entry.target, entry.text], { time: entry.time, msgid: entry.msgid });
}

/** A bound for the store: a msgid's own place, or a timestamp as the first or last possible place at that time. */
async function position(store: HistoryStore, key: string, ref: Exclude<Reference, "*">, side: "after" | "before"): Promise<HistoryPosition | undefined> {
  if ("msgid" in ref) return store.find(key, ref.msgid);
  return { time: ref.time, seq: side === "after" ? Number.MAX_SAFE_INTEGER : 0 };
}

async function select(store: HistoryStore, key: string, sub: string, refs: Exclude<Reference, "*">[], limit: number, latestAll: boolean): Promise<HistoryEntry[]> {
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

async function targets(server: ChatServer, client: Client, params: string[]): Promise<void> {
  const [, fromText = "", toText = "", limitText = ""] = params;
  const from = parseReference(fromText);
  const to = parseReference(toText);
  const limit = Number(limitText);
  if (!from || !to || from === "*" || to === "*" || !("time" in from) || !("time" in to) || !Number.isInteger(limit) || limit < 1) {
    return fail(server, client, "INVALID_PARAMS", ["TARGETS"], "TARGETS wants two timestamps and a limit");
  }
  const channels = new Map([...client.channels].map((channel) => [channel.folded, channel.name]));
  const found = await server.history.targets(client.nick, [...channels.keys()], Math.min(from.time, to.time), Math.max(from.time, to.time), Math.min(limit, CHATHISTORY_LIMIT));
  const lines = found.map(({ key, name, time }) => new Outgoing(server.name, "CHATHISTORY", ["TARGETS", channels.get(key) ?? name, new Date(time).toISOString()]));
  sendBatch(server, client, "draft/chathistory-targets", [], lines);
}

const subcommands = new Set(["LATEST", "BEFORE", "AFTER", "AROUND", "BETWEEN", "TARGETS"]);

async function chathistory(server: ChatServer, client: Client, params: string[]): Promise<void> {
  const sub = (params[0] ?? "").toUpperCase();
  if (!subcommands.has(sub)) return fail(server, client, "INVALID_PARAMS", [sub || "*"], "Unknown CHATHISTORY subcommand");
  if (sub === "TARGETS") return targets(server, client, params);
  const wanted = sub === "BETWEEN" ? 5 : 4;
  if (params.length < wanted) return fail(server, client, "NEED_MORE_PARAMS", [sub], "Missing parameters");
  const target = params[1] ?? "";
  const refTexts = params.slice(2, wanted - 1);
  const refs = refTexts.map(parseReference);
  const limit = Number(params[wanted - 1]);
  const latestAll = sub === "LATEST" && refs[0] === "*";
  if (refs.some((ref) => ref === undefined || (ref === "*" && !latestAll)) || !Number.isInteger(limit) || limit < 1) {
    return fail(server, client, "INVALID_PARAMS", [sub, ...refTexts], "Invalid reference or limit");
  }
  let key: string;
  let name = target;
  if (isChannelName(target)) {
    // Only members read a channel's history.
    const channel = server.findChannel(target);
    if (!channel?.members.has(client)) return fail(server, client, "INVALID_TARGET", [sub, target], "Messages could not be retrieved");
    key = channel.folded;
    name = channel.name;
  } else {
    if (!target || foldCase(target) === foldCase(client.nick)) return fail(server, client, "INVALID_TARGET", [sub, target || "*"], "Messages could not be retrieved");
    key = conversationKey(client.nick, target);
  }
  const entries = await select(server.history, key, sub, refs.filter((ref): ref is Exclude<Reference, "*"> => ref !== undefined && ref !== "*"), Math.min(limit, CHATHISTORY_LIMIT), latestAll);
  sendBatch(server, client, "chathistory", [name], entries.map(replayLine));
}

/** CHATHISTORY (IRCv3 draft/chathistory): LATEST, BEFORE, AFTER, AROUND, BETWEEN, TARGETS. */
const CHATHISTORY: Command = {
  minParams: 1,
  run(server, client, { params }) {
    if (!server.history.enabled) return server.reply(client, "421", "CHATHISTORY", "Unknown command");
    chathistory(server, client, params).catch((error: unknown) => {
      server.logger.error({ err: error }, "CHATHISTORY failed");
      fail(server, client, "MESSAGE_ERROR", [(params[0] ?? "*").toUpperCase(), params[1] ?? "*"], "Messages could not be retrieved");
    });
  },
};

export const historyCommands = { CHATHISTORY };
