import path from "node:path";
import type Database from "better-sqlite3";
import { openSqliteFile } from "../sqlite-file.js";
import { foldCase } from "../casemap.js";
import { AccountStoreError, markerTime, oneLine, stringList } from "./account-store-error.js";
import type { AccountPatch, AccountRecord, AccountStore, Presence } from "./store.js";

export interface SqliteAccountsOptions {
  /** Directory of the database file (chat-accounts.db); created when missing. */
  dataDir: string;
}

// Names are keyed by their folded form (casemap.ts) and kept as written next to it.
// certfps is a rowid table so an account's fingerprints come back in the order they were linked.
const schema = `
CREATE TABLE IF NOT EXISTS accounts (
  folded TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  password TEXT NOT NULL,
  scram_salt TEXT NOT NULL,
  scram_iterations INTEGER NOT NULL,
  scram_stored_key TEXT NOT NULL,
  scram_server_key TEXT NOT NULL,
  email TEXT,
  registered_at INTEGER NOT NULL,
  always_on INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS certfps (
  fingerprint TEXT PRIMARY KEY,
  account TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS certfps_by_account ON certfps (account);
CREATE TABLE IF NOT EXISTS founders (
  channel TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  account_folded TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS founders_by_account ON founders (account_folded);
CREATE TABLE IF NOT EXISTS read_markers (
  account TEXT NOT NULL,
  target TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  PRIMARY KEY (account, target)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presences (
  account TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  nick TEXT NOT NULL,
  channels TEXT NOT NULL,
  seen INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface AccountRow {
  name: string;
  password: string;
  scram_salt: string;
  scram_iterations: number;
  scram_stored_key: string;
  scram_server_key: string;
  email: string | null;
  registered_at: number;
  always_on: number | null;
}

interface PresenceRow {
  name: string;
  nick: string;
  channels: string;
  seen: number;
}

/** Parameters of the one UPDATE statement: a set* flag of 1 says the patch carries that column. */
interface PatchParams {
  folded: string;
  password: string | null;
  setScram: number;
  salt: string | null;
  iterations: number | null;
  storedKey: string | null;
  serverKey: string | null;
  setEmail: number;
  email: string | null;
  setAlwaysOn: number;
  alwaysOn: number | null;
}

/**
 * Accounts, founders, read markers and presences in one SQLite file (WAL) on one node.
 * Every call runs synchronously in one transaction; the promises only match AccountStore.
 */
export class SqliteAccounts implements AccountStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly transactions;

  constructor(options: SqliteAccountsOptions) {
    this.file = path.join(options.dataDir, "chat-accounts.db");
    try {
      this.db = openSqliteFile(options.dataDir, this.file);
      this.db.exec(schema);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EACCOUNTS";
      throw new AccountStoreError(code, "sqlite", this.file, `cannot open account database ${this.file}: ${oneLine(error)}`, { cause: error });
    }
    const { db } = this;
    const s = {
      insertAccount: db.prepare(
        `INSERT INTO accounts (folded, name, password, scram_salt, scram_iterations, scram_stored_key, scram_server_key, email, registered_at, always_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (folded) DO NOTHING`,
      ),
      account: db.prepare<[string], AccountRow>("SELECT * FROM accounts WHERE folded = ?"),
      patchAccount: db.prepare<[PatchParams]>(
        `UPDATE accounts SET
           password = coalesce(@password, password),
           scram_salt = CASE WHEN @setScram THEN @salt ELSE scram_salt END,
           scram_iterations = CASE WHEN @setScram THEN @iterations ELSE scram_iterations END,
           scram_stored_key = CASE WHEN @setScram THEN @storedKey ELSE scram_stored_key END,
           scram_server_key = CASE WHEN @setScram THEN @serverKey ELSE scram_server_key END,
           email = CASE WHEN @setEmail THEN @email ELSE email END,
           always_on = CASE WHEN @setAlwaysOn THEN @alwaysOn ELSE always_on END
         WHERE folded = @folded`,
      ),
      deleteAccount: db.prepare("DELETE FROM accounts WHERE folded = ?"),
      // REPLACE moves a fingerprint linked to another account.
      linkCertfp: db.prepare("INSERT OR REPLACE INTO certfps (fingerprint, account) VALUES (?, ?)"),
      certfps: db.prepare<[string], { fingerprint: string }>("SELECT fingerprint FROM certfps WHERE account = ? ORDER BY rowid"),
      certfpOwner: db.prepare<[string], { name: string }>("SELECT a.name FROM certfps c JOIN accounts a ON a.folded = c.account WHERE c.fingerprint = ?"),
      unlinkCertfps: db.prepare("DELETE FROM certfps WHERE account = ?"),
      claim: db.prepare("INSERT INTO founders (channel, account, account_folded) VALUES (?, ?, ?) ON CONFLICT (channel) DO NOTHING"),
      founder: db.prepare<[string], { account: string }>("SELECT account FROM founders WHERE channel = ?"),
      release: db.prepare("DELETE FROM founders WHERE channel = ?"),
      releaseAll: db.prepare("DELETE FROM founders WHERE account_folded = ?"),
      // Only a later time replaces the marker; the strings share one form, so they compare as text.
      setMarker: db.prepare(
        `INSERT INTO read_markers (account, target, timestamp) VALUES (?, ?, ?)
         ON CONFLICT (account, target) DO UPDATE SET timestamp = excluded.timestamp WHERE excluded.timestamp > read_markers.timestamp`,
      ),
      marker: db.prepare<[string, string], { timestamp: string }>("SELECT timestamp FROM read_markers WHERE account = ? AND target = ?"),
      dropMarkers: db.prepare("DELETE FROM read_markers WHERE account = ?"),
      savePresence: db.prepare("INSERT OR REPLACE INTO presences (account, name, nick, channels, seen) VALUES (?, ?, ?, ?, ?)"),
      presence: db.prepare<[string], PresenceRow>("SELECT name, nick, channels, seen FROM presences WHERE account = ?"),
      presences: db.prepare<[], PresenceRow>("SELECT name, nick, channels, seen FROM presences ORDER BY account"),
      dropPresence: db.prepare("DELETE FROM presences WHERE account = ?"),
    };
    this.statements = s;
    const link = (folded: string, certfps: readonly string[]) => {
      for (const fingerprint of certfps) s.linkCertfp.run(fingerprint, folded);
    };
    this.transactions = {
      create: db.transaction((record: AccountRecord): boolean => {
        const folded = foldCase(record.name);
        const { scram } = record;
        const added = s.insertAccount.run(
          folded, record.name, record.password, scram.salt, scram.iterations, scram.storedKey, scram.serverKey,
          record.email ?? null, record.registeredAt, bit(record.alwaysOn),
        ).changes > 0;
        if (added) link(folded, record.certfps);
        return added;
      }),
      update: db.transaction((folded: string, patch: AccountPatch): boolean => {
        const { scram } = patch;
        const found = s.patchAccount.run({
          folded,
          password: patch.password ?? null,
          setScram: scram ? 1 : 0,
          salt: scram?.salt ?? null,
          iterations: scram?.iterations ?? null,
          storedKey: scram?.storedKey ?? null,
          serverKey: scram?.serverKey ?? null,
          // A patch that names email or alwaysOn with undefined clears it.
          setEmail: Object.hasOwn(patch, "email") ? 1 : 0,
          email: patch.email ?? null,
          setAlwaysOn: Object.hasOwn(patch, "alwaysOn") ? 1 : 0,
          alwaysOn: bit(patch.alwaysOn),
        }).changes > 0;
        if (found && patch.certfps) {
          s.unlinkCertfps.run(folded);
          link(folded, patch.certfps);
        }
        return found;
      }),
      drop: db.transaction((folded: string): boolean => {
        const existed = s.deleteAccount.run(folded).changes > 0;
        s.unlinkCertfps.run(folded);
        s.releaseAll.run(folded);
        s.dropMarkers.run(folded);
        s.dropPresence.run(folded);
        return existed;
      }),
      claim: db.transaction((channel: string, account: string): string => {
        s.claim.run(channel, account, foldCase(account));
        return s.founder.get(channel)?.account ?? account;
      }),
      setMarker: db.transaction((account: string, target: string, timestamp: string): string => {
        s.setMarker.run(account, target, timestamp);
        return s.marker.get(account, target)?.timestamp ?? timestamp;
      }),
    };
  }

  create(record: AccountRecord): Promise<boolean> {
    return this.run("creating an account", () => this.transactions.create(record));
  }

  get(name: string): Promise<AccountRecord | undefined> {
    return this.run("reading an account", () => {
      const folded = foldCase(name);
      const row = this.statements.account.get(folded);
      if (!row) return undefined;
      return {
        name: row.name,
        password: row.password,
        scram: { salt: row.scram_salt, iterations: row.scram_iterations, storedKey: row.scram_stored_key, serverKey: row.scram_server_key },
        email: row.email ?? undefined,
        registeredAt: row.registered_at,
        certfps: this.statements.certfps.all(folded).map((link) => link.fingerprint),
        alwaysOn: row.always_on === null ? undefined : row.always_on === 1,
      };
    });
  }

  byCertfp(fingerprint: string): Promise<string | undefined> {
    return this.run("looking up a certificate", () => this.statements.certfpOwner.get(fingerprint)?.name);
  }

  update(name: string, patch: AccountPatch): Promise<boolean> {
    return this.run("updating an account", () => this.transactions.update(foldCase(name), patch));
  }

  drop(name: string): Promise<boolean> {
    return this.run("dropping an account", () => this.transactions.drop(foldCase(name)));
  }

  claimChannel(channel: string, account: string): Promise<string> {
    return this.run("claiming a channel", () => this.transactions.claim(foldCase(channel), account));
  }

  founder(channel: string): Promise<string | undefined> {
    return this.run("reading a founder", () => this.statements.founder.get(foldCase(channel))?.account);
  }

  releaseChannel(channel: string): Promise<void> {
    return this.run("releasing a channel", () => void this.statements.release.run(foldCase(channel)));
  }

  setReadMarker(account: string, target: string, timestamp: string): Promise<string> {
    return this.run("setting a read marker", () => this.transactions.setMarker(foldCase(account), foldCase(target), markerTime(timestamp, "sqlite")));
  }

  readMarker(account: string, target: string): Promise<string | undefined> {
    return this.run("reading a read marker", () => this.statements.marker.get(foldCase(account), foldCase(target))?.timestamp);
  }

  savePresence(account: string, presence: Presence): Promise<void> {
    return this.run("saving a presence", () => {
      this.statements.savePresence.run(foldCase(account), account, presence.nick, JSON.stringify(presence.channels), presence.seen);
    });
  }

  presence(account: string): Promise<Presence | undefined> {
    return this.run("reading a presence", () => {
      const row = this.statements.presence.get(foldCase(account));
      return row && this.toPresence(row);
    });
  }

  presences(): Promise<Map<string, Presence>> {
    return this.run("listing presences", () => new Map(this.statements.presences.all().map((row) => [row.name, this.toPresence(row)])));
  }

  dropPresence(account: string): Promise<void> {
    return this.run("dropping a presence", () => void this.statements.dropPresence.run(foldCase(account)));
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private toPresence(row: PresenceRow): Presence {
    return { nick: row.nick, channels: stringList(row.channels, "sqlite", `presence of ${row.name}`), seen: row.seen };
  }

  /** Runs a synchronous database call as a promise; its failure rejects with an AccountStoreError. */
  private run<T>(what: string, call: () => T): Promise<T> {
    try {
      return Promise.resolve(call());
    } catch (error) {
      if (error instanceof AccountStoreError) return Promise.reject(error);
      const code = (error as NodeJS.ErrnoException).code ?? (this.db.open ? "ESQLITE" : "ECLOSED");
      return Promise.reject(new AccountStoreError(code, "sqlite", this.file, `accounts: ${this.file} failed while ${what}: ${oneLine(error)}`, { cause: error }));
    }
  }
}

/** A tri-state boolean as the always_on column holds it. */
function bit(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}
