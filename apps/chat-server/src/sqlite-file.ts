import { mkdirSync } from "node:fs";
import Database from "better-sqlite3";

/**
 * Opens (creating it and its directory when missing) a SQLite file the way every store of the
 * server wants it: WAL, synchronous=NORMAL (a committed change survives the process being
 * killed; an OS crash may lose the last ones), and a 5 s wait on a lock. Callers add their own
 * pragmas and schema, and turn a failure into their own error.
 */
export function openSqliteFile(dataDir: string, file: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}
