import { foldCase } from "./casemap.js";
import { isChannelName } from "./names.js";

/** A history store could not be opened or used: store says which kind, input what it was given (a file, a URL, or ""). */
export class HistoryStoreError extends Error {
  constructor(
    readonly code: string,
    readonly store: "sqlite" | "redis",
    readonly input: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HistoryStoreError";
  }
}

/** A message as stored: who said what to whom, when, under which msgid. */
export interface HistoryEntry {
  msgid: string;
  /** Server time, ISO 8601 with milliseconds (the `time` tag). */
  time: string;
  /** nick!user@host of the sender. */
  source: string;
  command: "PRIVMSG" | "NOTICE";
  /** The channel or nick as the sender wrote it. */
  target: string;
  text: string;
  /**
   * A private message's two parties (partyOf: the sender's, then the recipient's); by default
   * their folded nicks. Names the conversation, so an account's history is not its nick's.
   */
  parties?: readonly [from: string, to: string];
}

/** A place in a conversation's history: messages are ordered by time, then by arrival. */
export interface HistoryPosition {
  /** Milliseconds since the epoch. */
  time: number;
  /** Arrival order among messages with the same time. */
  seq: number;
}

/** A slice of one conversation: what lies strictly between the bounds, `limit` of it from one end. */
export interface HistoryRange {
  after?: HistoryPosition;
  before?: HistoryPosition;
  limit: number;
  /** "start": the oldest `limit` in the range; "end": the newest. Results are always oldest first. */
  from: "start" | "end";
}

/** A conversation with messages in a time window, and the time of its latest one there. */
export interface HistoryTarget {
  key: string;
  /** The channel name, or the other nick of a private conversation, for display. */
  name: string;
  time: number;
}

/**
 * Where messages are written before they are fanned out, and read back for CHATHISTORY.
 * SQLite (sqlite-history.ts) and Redis Streams (redis-history.ts, cluster mode) implement it.
 */
export interface HistoryStore {
  /** False for the store that keeps nothing: CHATHISTORY is then not offered. */
  readonly enabled: boolean;
  /** Adds a message; it is durable once commit() returns (or its promise resolves). */
  append(entry: HistoryEntry): void;
  /**
   * Makes every appended message durable; the server calls it before writing to any client.
   * A store that writes synchronously returns nothing; one that waits for a server returns a
   * promise, and the server holds the output of that flush until it settles.
   */
  commit(): void | Promise<void>;
  /** Where a msgid sits in the conversation key, if it is stored there. */
  find(key: string, msgid: string): Promise<HistoryPosition | undefined>;
  range(key: string, range: HistoryRange): Promise<HistoryEntry[]>;
  /** Conversations among channelKeys and party's private ones (partyOf) whose latest message is in (after, before). */
  targets(party: string, channelKeys: string[], after: number, before: number, limit: number): Promise<HistoryTarget[]>;
  /** Deletes a stored message (REDACT); nothing when it is not there. */
  remove(key: string, msgid: string): Promise<void>;
  /** Resolves once the store holds no files or connections open. */
  close(): void | Promise<void>;
}

/** What commands may do with history: read it. */
export type HistoryReader = Pick<HistoryStore, "enabled" | "find" | "range" | "targets">;

/** Keeps nothing. */
export const noHistory: HistoryStore = {
  enabled: false,
  append() {},
  commit() {},
  find: () => Promise.resolve(undefined),
  range: () => Promise.resolve([]),
  targets: () => Promise.resolve([]),
  remove: () => Promise.resolve(),
  close() {},
};

/** The nick in a nick!user@host source. */
export function sourceNick(source: string): string {
  const bang = source.indexOf("!");
  return bang < 0 ? source : source.slice(0, bang);
}

/** Who one side of a private conversation is: its account (`$name`, folded) when logged in, else its folded nick. */
export function partyOf(nick: string, account: string | undefined): string {
  return account === undefined ? foldCase(nick) : "$" + foldCase(account);
}

/** The key of the private conversation between two parties, whichever speaks. */
export function privateKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/** The parties and key under which entry is stored: its channel's, or its private conversation's. */
export function storageOf(entry: HistoryEntry): { key: string; parties?: readonly [string, string] } {
  if (isChannelName(entry.target)) return { key: foldCase(entry.target) };
  const parties = entry.parties ?? ([foldCase(sourceNick(entry.source)), foldCase(entry.target)] as const);
  return { key: privateKey(parties[0], parties[1]), parties };
}

/**
 * The conversation a message belongs to: a channel's folded name, or for private messages
 * both folded nicks in order, so alice->bob and bob->alice share one history.
 */
export function conversationKey(nick: string, target: string): string {
  if (isChannelName(target)) return foldCase(target);
  const a = foldCase(nick);
  const b = foldCase(target);
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}
