import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { HistoryStoreError, conversationKey, openSqliteHistory, type HistoryEntry } from "../src/index.js";
import { partyOf, privateKey } from "../src/history.js";
import { isoTimeFormatter } from "../src/iso-time.js";
import { newMsgid } from "../src/msgid.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "chat-store-"));
  dirs.push(dir);
  return dir;
}

const base = Date.parse("2026-01-01T00:00:00.000Z");

function entry(i: number, target = "#lab", source = "ann!~ann@127.0.0.1"): HistoryEntry {
  return { msgid: `m${i}`, time: new Date(base + i * 1_000).toISOString(), source, command: "PRIVMSG", target, text: `line ${i}` };
}

describe("SqliteHistory", () => {
  test("messages survive closing and reopening the data dir, in WAL mode", async () => {
    const dataDir = path.join(tempDir(), "nested", "data");
    const store = openSqliteHistory({ dataDir });
    for (let i = 0; i < 5; i++) store.append(entry(i));
    store.commit();
    expect(existsSync(path.join(dataDir, "chat-history.db-wal"))).toBe(true);
    await store.close();
    expect(existsSync(path.join(dataDir, "chat-history.db"))).toBe(true);
    const again = openSqliteHistory({ dataDir });
    const rows = await again.range("#lab", { limit: 10, from: "end" });
    expect(rows.map((row) => row.text)).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);
    expect(rows[2]).toEqual(entry(2));
    // Arrival order goes on after a restart: a message with the same time sorts after the old ones.
    again.append({ ...entry(4), msgid: "later", text: "same time, later" });
    expect((await again.range("#lab", { limit: 2, from: "end" })).map((row) => row.text)).toEqual(["line 4", "same time, later"]);
    await again.close();
  });

  test("close() resolves once the checkpoint thread is gone too: no thread left to touch the files", async () => {
    const threads = () => readdirSync("/proc/self/task").length;
    const cycle = async () => {
      const dataDir = tempDir();
      // Closed at once, while the checkpoint thread may still be opening its connection.
      const store = openSqliteHistory({ dataDir });
      store.append(entry(1));
      store.commit();
      await store.close();
      return dataDir;
    };
    await cycle();
    const before = threads();
    for (let i = 0; i < 3; i++) {
      const dataDir = await cycle();
      expect(threads()).toBe(before);
      expect(readdirSync(dataDir)).toEqual(["chat-history.db"]);
    }
  });

  test("close() as the last work of an otherwise idle process resolves: the process does not end before it", () => {
    const dist = new URL("../dist/index.js", import.meta.url).href;
    const source = `import { openSqliteHistory } from ${JSON.stringify(dist)};
      const store = openSqliteHistory({ dataDir: ${JSON.stringify(tempDir())} });
      store.bulkInsert([{ msgid: "m1", time: new Date().toISOString(), source: "a!b@c", command: "PRIVMSG", target: "#x", text: "hi" }]);
      await store.close();
      console.log("closed");`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" });
    // An unsettled top-level await ends Node with 13 and no output.
    expect({ status: child.status, stdout: child.stdout.trim() }).toEqual({ status: 0, stdout: "closed" });
  });

  test("no checkpoint thread before the first write", async () => {
    const store = openSqliteHistory({ dataDir: tempDir() });
    expect(await store.range("#lab", { limit: 10, from: "end" })).toEqual([]);
    store.append(entry(1));
    expect(store.checkpointing).toBe(false);
    store.commit();
    expect(store.checkpointing).toBe(true);
    await store.close();
  });

  test("appended messages are visible to queries before an explicit commit", async () => {
    const store = openSqliteHistory({ dataDir: tempDir() });
    store.append(entry(1));
    expect(await store.find("#lab", "m1")).toEqual({ time: base + 1_000, seq: 1 });
    await store.close();
  });

  test("ranges: from the start or the end, always oldest first, bounds exclusive", async () => {
    const store = openSqliteHistory({ dataDir: tempDir() });
    for (let i = 0; i < 10; i++) store.append(entry(i));
    const at3 = await store.find("#lab", "m3");
    const at7 = await store.find("#lab", "m7");
    const texts = async (range: Parameters<typeof store.range>[1]) => (await store.range("#lab", range)).map((row) => row.text);
    expect(await texts({ after: at3, before: at7, limit: 2, from: "start" })).toEqual(["line 4", "line 5"]);
    expect(await texts({ after: at3, before: at7, limit: 2, from: "end" })).toEqual(["line 5", "line 6"]);
    expect(await texts({ before: at3, limit: 100, from: "end" })).toEqual(["line 0", "line 1", "line 2"]);
    expect(await store.range("#other", { limit: 10, from: "end" })).toEqual([]);
    await store.close();
  });

  test("retention by count keeps the newest messages of each conversation", async () => {
    const store = openSqliteHistory({ dataDir: tempDir(), maxMessages: 3 });
    for (let i = 0; i < 6; i++) store.append(entry(i));
    for (let i = 10; i < 12; i++) store.append(entry(i, "#other"));
    store.prune();
    expect((await store.range("#lab", { limit: 10, from: "end" })).map((row) => row.msgid)).toEqual(["m3", "m4", "m5"]);
    expect((await store.range("#other", { limit: 10, from: "end" })).map((row) => row.msgid)).toEqual(["m10", "m11"]);
    await store.close();
  });

  test("retention by age deletes older messages", async () => {
    const store = openSqliteHistory({ dataDir: tempDir(), maxAgeMs: 2_500 });
    for (let i = 0; i < 6; i++) store.append(entry(i));
    store.prune(base + 5_000);
    expect((await store.range("#lab", { limit: 10, from: "end" })).map((row) => row.msgid)).toEqual(["m3", "m4", "m5"]);
    await store.close();
  });

  test("private messages share one conversation and each side finds it with targets()", async () => {
    const store = openSqliteHistory({ dataDir: tempDir() });
    store.append(entry(1, "Bob", "Ann!~a@h"));
    store.append(entry(2, "ann", "bob!~b@h"));
    store.append(entry(3, "#lab", "ann!~a@h"));
    const key = conversationKey("ann", "BOB");
    expect((await store.range(key, { limit: 10, from: "end" })).map((row) => row.text)).toEqual(["line 1", "line 2"]);
    expect(await store.targets("ann", ["#lab"], base, base + 10_000, 10)).toEqual([
      // The name as the other side last wrote it.
      { key, name: "bob", time: base + 2_000 },
      { key: "#lab", name: "", time: base + 3_000 },
    ]);
    expect(await store.targets("bob", [], base + 2_000, base + 10_000, 10)).toEqual([]);
    await store.close();
  });

  test("a private message between accounts is filed under the accounts, apart from the same nicks' anonymous talk", async () => {
    const store = openSqliteHistory({ dataDir: tempDir() });
    store.append(entry(1, "bob", "ann!~a@h"));
    store.append({ ...entry(2, "bob", "ann!~a@h"), parties: [partyOf("ann", "Ann"), partyOf("bob", undefined)] });
    const accountKey = privateKey("$ann", "bob");
    expect((await store.range(accountKey, { limit: 10, from: "end" })).map((row) => row.text)).toEqual(["line 2"]);
    expect((await store.range(conversationKey("ann", "bob"), { limit: 10, from: "end" })).map((row) => row.text)).toEqual(["line 1"]);
    expect(await store.targets("$ann", [], base, base + 10_000, 10)).toEqual([{ key: accountKey, name: "bob", time: base + 2_000 }]);
    expect(await store.targets("bob", [], base, base + 10_000, 10)).toHaveLength(2);
    await store.close();
  });

  test("a data dir that cannot be used is a HistoryStoreError naming the file", () => {
    const file = path.join(tempDir(), "not-a-dir");
    writeFileSync(file, "x");
    expect(() => openSqliteHistory({ dataDir: file })).toThrow(HistoryStoreError);
    expect(() => openSqliteHistory({ dataDir: file })).toThrow(/cannot open history database .*not-a-dir/);
  });
});

describe("newMsgid", () => {
  test("ids are unique, 25 characters, and sort by creation, within one millisecond too", () => {
    const ids = [newMsgid(1_000), newMsgid(1_000), newMsgid(1_000), newMsgid(2_000), newMsgid(Date.parse("2100-01-01T00:00:00Z"))];
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{25}$/);
    expect(ids[1]?.slice(0, 9)).toBe(ids[0]?.slice(0, 9));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("isoTimeFormatter", () => {
  test("writes exactly what toISOString writes, for times in and across minutes", () => {
    const iso = isoTimeFormatter();
    const times = [0, 1, 59_999, 60_000, base, base + 7, base + 61_001, base + 61_010, base + 61_100, base - 1, -1, -61_234, 253_402_300_799_999, 253_402_300_800_000, 1.5];
    for (const time of times) expect(iso(time)).toBe(new Date(time).toISOString());
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8.64e15, max: 8.64e15 - 10_000 }), { maxLength: 50 }), fc.integer({ min: 0, max: 3 }), (starts, spread) => {
        const format = isoTimeFormatter();
        // Runs of nearby times, as in a page of history, and far jumps between them.
        for (const start of starts) for (let i = 0; i < 5; i++) expect(format(start + i * 10 ** spread)).toBe(new Date(start + i * 10 ** spread).toISOString());
      }),
    );
  });
});
