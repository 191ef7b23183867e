import path from "node:path";
import type Database from "better-sqlite3";
import { openSqliteFile } from "./sqlite-file.js";
import { HistoryStoreError, sourceNick, storageOf, type HistoryEntry, type HistoryPosition, type HistoryRange, type HistoryStore, type HistoryTarget } from "./history.js";
import { isoTimeFormatter } from "./iso-time.js";
import { WalCheckpointer } from "./wal-checkpointer.js";

export interface SqliteHistoryOptions {
  /** Directory of the database file (chat-history.db); created when missing. */
  dataDir: string;
  /** Messages kept per conversation; 0 keeps all. */
  maxMessages?: number;
  /** Age after which messages are deleted, in ms; 0 keeps them forever. */
  maxAgeMs?: number;
  /** How often retention runs, in ms. */
  pruneIntervalMs?: number;
  /** How often a worker thread copies the WAL into the database, in ms. */
  checkpointIntervalMs?: number;
}

/** A history row as an array (better-sqlite3 raw mode: no object with named keys per row). */
type Row = [time: number, msgid: string, source: string, command: "PRIVMSG" | "NOTICE", target: string, text: string];

// Rows are clustered by conversation (the primary key starts with it), so a page of history
// is a few adjacent database pages, however many other conversations there are.
const schema = `
CREATE TABLE IF NOT EXISTS messages (
  key TEXT NOT NULL,
  time INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  msgid TEXT NOT NULL,
  source TEXT NOT NULL,
  command TEXT NOT NULL,
  target TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (key, time, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_by_msgid ON messages (msgid);
CREATE TABLE IF NOT EXISTS peers (
  nick TEXT NOT NULL,
  peer TEXT NOT NULL,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (nick, peer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

const columns = "time, msgid, source, command, target, text";

/**
 * History in one SQLite file (WAL): messages appended during a turn of the event loop are
 * written in one transaction by commit(), which the server runs before any byte goes out.
 * With synchronous=NORMAL a committed message survives the process being killed; an OS
 * crash or power loss may lose the last transactions.
 */
export class SqliteHistory implements HistoryStore {
  readonly enabled = true;
  readonly file: string;
  private readonly db: Database.Database;
  private pending: HistoryEntry[] = [];
  /** Arrival order, kept across restarts in the meta table. */
  private seq: number;
  private readonly touched = new Set<string>();
  private readonly pruneTimer: NodeJS.Timeout | undefined;
  /** Started by the first write: a server that stores nothing does without the thread's memory. */
  private checkpointer: WalCheckpointer | undefined;
  private readonly insertAll: (entries: HistoryEntry[]) => void;
  private readonly statements;
  private readonly rangeStatements = new Map<string, Database.Statement<(string | number)[], Row>>();

  constructor(private readonly options: SqliteHistoryOptions) {
    this.file = path.join(options.dataDir, "chat-history.db");
    try {
      this.db = openSqliteFile(options.dataDir, this.file);
      // History reads jump around a large file: keep more of it in memory than the 2 MB default.
      this.db.pragma("cache_size = -65536");
      this.db.pragma("mmap_size = 268435456");
      // A worker thread checkpoints instead (WalCheckpointer); automatic again if it dies.
      this.db.pragma("wal_autocheckpoint = 0");
      this.db.exec(schema);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EHISTORY";
      throw new HistoryStoreError(code, "sqlite", this.file, `cannot open history database ${this.file}: ${(error as Error).message}`);
    }
    const { db } = this;
    this.statements = {
      insert: db.prepare("INSERT INTO messages (key, time, seq, msgid, source, command, target, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
      saveSeq: db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('seq', ?)"),
      nextKey: db.prepare<[string], { key: string }>("SELECT key FROM messages WHERE key > ? ORDER BY key LIMIT 1"),
      peer: db.prepare("INSERT OR REPLACE INTO peers (nick, peer, name, key) VALUES (?, ?, ?, ?)"),
      find: db.prepare<[string, string], { seq: number; time: number }>("SELECT seq, time FROM messages WHERE msgid = ? AND key = ?"),
      remove: db.prepare("DELETE FROM messages WHERE msgid = ? AND key = ?"),
      peers: db.prepare<[string], { name: string; key: string }>("SELECT name, key FROM peers WHERE nick = ?"),
      latest: db.prepare<[string], { time: number | null }>("SELECT MAX(time) AS time FROM messages WHERE key = ?"),
      pruneAge: db.prepare("DELETE FROM messages WHERE key = ? AND time < ?"),
      pruneCount: db.prepare("DELETE FROM messages WHERE key = ? AND (time, seq) <= (SELECT time, seq FROM messages WHERE key = ? ORDER BY time DESC, seq DESC LIMIT 1 OFFSET ?)"),
    };
    this.seq = db.prepare<[], { value: number }>("SELECT value FROM meta WHERE name = 'seq'").get()?.value ?? 0;
    this.insertAll = db.transaction((entries: HistoryEntry[]) => {
      for (const entry of entries) {
        const { key, parties } = storageOf(entry);
        this.statements.insert.run(key, Date.parse(entry.time), ++this.seq, entry.msgid, entry.source, entry.command, entry.target, entry.text);
        if (parties) {
          // Each side can list the conversation with CHATHISTORY TARGETS.
          const [from, to] = parties;
          this.statements.peer.run(from, to, entry.target, key);
          this.statements.peer.run(to, from, sourceNick(entry.source), key);
        }
        this.touched.add(key);
      }
      this.statements.saveSeq.run(this.seq);
    });
    this.prune();
    if ((options.maxMessages ?? 0) > 0 || (options.maxAgeMs ?? 0) > 0) {
      this.pruneTimer = setInterval(() => this.prune(), options.pruneIntervalMs ?? 60_000);
      this.pruneTimer.unref();
    }
  }

  /** True once a write started the checkpoint thread. */
  get checkpointing(): boolean {
    return this.checkpointer !== undefined;
  }

  append(entry: HistoryEntry): void {
    this.pending.push(entry);
  }

  commit(): void {
    if (this.pending.length === 0) return;
    this.checkpointer ??= this.startCheckpointer();
    this.writePending();
  }

  private writePending(): void {
    const entries = this.pending;
    this.pending = [];
    this.insertAll(entries);
  }

  private startCheckpointer(): WalCheckpointer {
    return new WalCheckpointer(this.file, { intervalMs: this.options.checkpointIntervalMs ?? 1_000, maxFrames: 10_000 }, {
      // Between transactions (we are on the event loop): resets a WAL that continuous writes kept from restarting.
      restart: () => this.db.open && this.db.pragma("wal_checkpoint(RESTART)"),
      failed: () => this.db.open && this.db.pragma("wal_autocheckpoint = 1000"),
    });
  }

  remove(key: string, msgid: string): Promise<void> {
    this.commit();
    this.statements.remove.run(msgid, key);
    return Promise.resolve();
  }

  find(key: string, msgid: string): Promise<HistoryPosition | undefined> {
    this.commit();
    const row = this.statements.find.get(msgid, key);
    return Promise.resolve(row ? { time: row.time, seq: row.seq } : undefined);
  }

  range(key: string, range: HistoryRange): Promise<HistoryEntry[]> {
    this.commit();
    const where = ["key = ?"];
    const args: (string | number)[] = [key];
    if (range.after) {
      where.push("(time, seq) > (?, ?)");
      args.push(range.after.time, range.after.seq);
    }
    if (range.before) {
      where.push("(time, seq) < (?, ?)");
      args.push(range.before.time, range.before.seq);
    }
    const order = range.from === "start" ? "ASC" : "DESC";
    args.push(range.limit);
    const sql = `SELECT ${columns} FROM messages WHERE ${where.join(" AND ")} ORDER BY time ${order}, seq ${order} LIMIT ?`;
    // Eight shapes at most (bounds x direction): each is compiled once.
    let statement = this.rangeStatements.get(sql);
    if (!statement) this.rangeStatements.set(sql, (statement = this.db.prepare<(string | number)[], Row>(sql).raw(true)));
    const rows = statement.all(...args);
    if (range.from === "end") rows.reverse();
    const iso = isoTimeFormatter();
    return Promise.resolve(rows.map(([time, msgid, source, command, target, text]) => ({ msgid, time: iso(time), source, command, target, text })));
  }

  targets(party: string, channelKeys: string[], after: number, before: number, limit: number): Promise<HistoryTarget[]> {
    this.commit();
    const candidates = [...channelKeys.map((key) => ({ key, name: "" })), ...this.statements.peers.all(party)];
    const found: HistoryTarget[] = [];
    for (const { key, name } of candidates) {
      // A conversation is listed by its latest message: one that went on after the window is not in it.
      const time = this.statements.latest.get(key)?.time;
      if (typeof time === "number" && time > after && time < before) found.push({ key, name, time });
    }
    found.sort((a, b) => a.time - b.time);
    return Promise.resolve(found.slice(0, limit));
  }

  /** Applies retention: messages older than maxAgeMs, then all but the newest maxMessages of each conversation written to since the last run. */
  prune(now = Date.now()): void {
    this.commit();
    const { maxMessages = 0, maxAgeMs = 0 } = this.options;
    if (maxAgeMs > 0) for (const key of this.keys()) this.statements.pruneAge.run(key, now - maxAgeMs);
    if (maxMessages > 0) {
      const keys = this.touched.size > 0 ? [...this.touched] : this.keys();
      for (const key of keys) this.statements.pruneCount.run(key, key, maxMessages);
    }
    this.touched.clear();
  }

  /** Every conversation, one index seek each. */
  private keys(): string[] {
    const keys: string[] = [];
    for (let row = this.statements.nextKey.get(""); row; row = this.statements.nextKey.get(row.key)) keys.push(row.key);
    return keys;
  }

  /** Inserts rows directly, in one transaction (benchmarks and imports). */
  bulkInsert(entries: HistoryEntry[]): void {
    this.checkpointer ??= this.startCheckpointer();
    this.insertAll(entries);
  }

  /** Commits, closes the database and waits for the checkpoint thread to close its connection too. */
  close(): Promise<void> {
    clearInterval(this.pruneTimer);
    const stopped = this.checkpointer?.stop() ?? Promise.resolve();
    if (this.db.open) {
      // Closing the last connection checkpoints the WAL itself: no thread needed for the last writes.
      if (this.pending.length > 0) this.writePending();
      this.db.close();
    }
    return stopped;
  }
}

/** Opens (or creates) the history database in dataDir. */
export function openSqliteHistory(options: SqliteHistoryOptions): SqliteHistory {
  return new SqliteHistory(options);
}
