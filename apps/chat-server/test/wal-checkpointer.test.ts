import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { WalCheckpointer } from "../src/wal-checkpointer.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("WalCheckpointer", () => {
  test("copies the WAL into the database from a worker and asks for a restart when the WAL is large", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chat-wal-"));
    dirs.push(dir);
    const file = path.join(dir, "test.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE t (x TEXT)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run("x".repeat(200));
    })();
    const before = statSync(file).size;
    let restarts = 0;
    const checkpointer = new WalCheckpointer(file, { intervalMs: 20, maxFrames: 1 }, { restart: () => restarts++, failed: () => {} });
    try {
      await expect.poll(() => restarts, { timeout: 5_000 }).toBeGreaterThan(0);
      // The rows reached the database file itself, not only the WAL.
      expect(statSync(file).size).toBeGreaterThan(before + 300_000);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });
});
