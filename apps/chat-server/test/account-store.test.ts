import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { redisProgram, startRedis, type Redis as RedisServer } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { AccountStoreError } from "../src/accounts/account-store-error.js";
import { RedisAccounts } from "../src/accounts/redis-accounts.js";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import type { AccountRecord, AccountStore, Presence } from "../src/accounts/store.js";

const dirs: string[] = [];
const stores: AccountStore[] = [];
let redisServer: Promise<RedisServer> | undefined;
let prefixes = 0;
/** Looked up once: a missing redis-server is reported (SKIPPED: ...) once, and fails the run under CI. */
const noRedis = redisProgram().skip;

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  if (redisServer) await (await redisServer).stop();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "chat-accounts-"));
  dirs.push(dir);
  return dir;
}

function track<T extends AccountStore>(store: T): T {
  stores.push(store);
  return store;
}

/** One redis-server for the file, started by the first Redis test. */
function redis(): Promise<RedisServer> {
  return (redisServer ??= startRedis());
}

/** A store on fresh, empty data, and a way to open another store on the same data. */
interface Opened {
  store: AccountStore;
  again(): Promise<AccountStore>;
}

/** The same behaviour is checked against each store; a missing redis-server skips (and names it) outside CI. */
const backends: { name: string; skip: boolean; open: () => Promise<Opened> }[] = [
  {
    name: "SQLite",
    skip: false,
    open: async () => {
      const dataDir = tempDir();
      const store = track(new SqliteAccounts({ dataDir }));
      return {
        store,
        // A restart: the first store is closed before the file is opened again.
        again: async () => {
          await store.close();
          return track(new SqliteAccounts({ dataDir }));
        },
      };
    },
  },
  {
    name: "Redis (needs redis-server)",
    skip: noRedis,
    open: async () => {
      const { url } = await redis();
      // Each test on its own prefix, so tests do not see each other's keys.
      const prefix = `t${++prefixes}`;
      const store = track(new RedisAccounts({ url, prefix }));
      // Another node of the cluster: its own connection, same keys.
      return { store, again: async () => track(new RedisAccounts({ url, prefix })) };
    },
  },
];

const base = Date.parse("2026-01-01T00:00:00.000Z");
const fp1 = "a".repeat(64);
const fp2 = "b".repeat(64);
const fp3 = "c".repeat(64);

function record(name: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    name,
    password: "$scrypt$ln=14,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
    scram: { salt: "c2FsdA==", iterations: 4096, storedKey: "c3RvcmVk", serverKey: "c2VydmVy" },
    email: undefined,
    registeredAt: base,
    certfps: [],
    alwaysOn: undefined,
    ...overrides,
  };
}

const iso = (seconds: number) => new Date(base + seconds * 1_000).toISOString();

describe.each(backends)("AccountStore on $name", (backend) => {
  const it = test.skipIf(backend.skip);

  it("create and get: lookups ignore case (rfc1459, [\\]^ too), the name keeps its case", async () => {
    const { store } = await backend.open();
    const alice = record("Al[ice]", { email: "alice@example.org", certfps: [fp1, fp2], alwaysOn: true });
    expect(await store.create(alice)).toBe(true);
    expect(await store.get("Al[ice]")).toEqual(alice);
    expect(await store.get("AL{ICE}")).toEqual(alice);
    expect(await store.get("al{ice}")).toEqual(alice);
    expect(await store.get("bob")).toBeUndefined();
    const bob = record("Bob", { alwaysOn: false });
    expect(await store.create(bob)).toBe(true);
    expect(await store.get("bob")).toEqual(bob);
  });

  it("a second create of a name fails, also when it differs only in case, and leaves the first as it was", async () => {
    const { store } = await backend.open();
    expect(await store.create(record("Alice"))).toBe(true);
    expect(await store.create(record("Alice", { password: "other" }))).toBe(false);
    expect(await store.create(record("ALICE", { password: "other", certfps: [fp1] }))).toBe(false);
    expect(await store.get("alice")).toEqual(record("Alice"));
    expect(await store.byCertfp(fp1)).toBeUndefined();
  });

  it("concurrent creates of one name: exactly one wins", async () => {
    const { store, again } = await backend.open();
    const other = backend.name === "SQLite" ? store : await again();
    const results = await Promise.all(["Carol", "CAROL", "carol", "cArOl"].map((name, i) => (i % 2 ? other : store).create(record(name))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("update changes password, scram, email and alwaysOn; a key given as undefined clears it; a missing account is false", async () => {
    const { store } = await backend.open();
    await store.create(record("Alice", { email: "old@example.org" }));
    const scram = { salt: "bmV3", iterations: 8192, storedKey: "bmV3c3RvcmVk", serverKey: "bmV3c2VydmVy" };
    expect(await store.update("ALICE", { password: "$scrypt$new", scram, email: "new@example.org", alwaysOn: true })).toBe(true);
    expect(await store.get("alice")).toEqual(record("Alice", { password: "$scrypt$new", scram, email: "new@example.org", alwaysOn: true }));
    expect(await store.update("alice", { alwaysOn: false })).toBe(true);
    expect((await store.get("alice"))?.alwaysOn).toBe(false);
    // Fields the patch does not name stay.
    expect(await store.update("alice", {})).toBe(true);
    expect((await store.get("alice"))?.email).toBe("new@example.org");
    expect(await store.update("alice", { email: undefined, alwaysOn: undefined })).toBe(true);
    expect(await store.get("alice")).toEqual(record("Alice", { password: "$scrypt$new", scram }));
    expect(await store.update("nobody", { password: "x" })).toBe(false);
    expect(await store.get("nobody")).toBeUndefined();
  });

  it("certificate fingerprints: lookup, move to another account, replacement, removal on drop", async () => {
    const { store } = await backend.open();
    await store.create(record("Alice", { certfps: [fp1, fp2] }));
    await store.create(record("Bob"));
    expect(await store.byCertfp(fp1)).toBe("Alice");
    expect(await store.byCertfp(fp2)).toBe("Alice");
    expect(await store.byCertfp(fp3)).toBeUndefined();
    // fp2 moves to Bob and leaves Alice.
    expect(await store.update("bob", { certfps: [fp3, fp2] })).toBe(true);
    expect(await store.byCertfp(fp2)).toBe("Bob");
    expect((await store.get("alice"))?.certfps).toEqual([fp1]);
    expect((await store.get("bob"))?.certfps).toEqual([fp3, fp2]);
    // A new list replaces the old one: fp1 is linked to nobody any more.
    expect(await store.update("alice", { certfps: [] })).toBe(true);
    expect(await store.byCertfp(fp1)).toBeUndefined();
    expect((await store.get("alice"))?.certfps).toEqual([]);
    // A create takes a fingerprint from its account too.
    expect(await store.create(record("Carol", { certfps: [fp3] }))).toBe(true);
    expect(await store.byCertfp(fp3)).toBe("Carol");
    expect((await store.get("bob"))?.certfps).toEqual([fp2]);
    expect(await store.drop("BOB")).toBe(true);
    expect(await store.byCertfp(fp2)).toBeUndefined();
    expect(await store.byCertfp(fp3)).toBe("Carol");
  });

  it("claimChannel: the first claim wins, later ones get the first founder; releaseChannel frees it", async () => {
    const { store } = await backend.open();
    expect(await store.founder("#lab")).toBeUndefined();
    expect(await store.claimChannel("#Lab", "Alice")).toBe("Alice");
    expect(await store.claimChannel("#LAB", "Bob")).toBe("Alice");
    expect(await store.founder("#lab")).toBe("Alice");
    expect(await store.founder("#other")).toBeUndefined();
    await store.releaseChannel("#lAB");
    expect(await store.founder("#lab")).toBeUndefined();
    expect(await store.claimChannel("#lab", "Bob")).toBe("Bob");
    // Releasing a channel without a founder is no error.
    await store.releaseChannel("#nothing");
  });

  it("claimChannel from several stores at once: one founder, and every caller is told the same", async () => {
    const { store, again } = await backend.open();
    const other = backend.name === "SQLite" ? store : await again();
    const names = ["Ann", "Bob", "Cid", "Dee", "Eve", "Fay"];
    const results = await Promise.all(names.map((name, i) => (i % 2 ? other : store).claimChannel("#race", name)));
    expect(new Set(results).size).toBe(1);
    expect(names).toContain(results[0]);
    expect(await store.founder("#race")).toBe(results[0]);
  });

  it("read markers: per account and target, case-insensitive, never moving back, in one ISO 8601 form", async () => {
    const { store } = await backend.open();
    expect(await store.readMarker("alice", "#lab")).toBeUndefined();
    expect(await store.setReadMarker("Alice", "#Lab", iso(10))).toBe(iso(10));
    expect(await store.readMarker("ALICE", "#LAB")).toBe(iso(10));
    // An earlier time does not move it back; the call says where it is.
    expect(await store.setReadMarker("alice", "#lab", iso(5))).toBe(iso(10));
    expect(await store.setReadMarker("alice", "#lab", iso(10))).toBe(iso(10));
    expect(await store.readMarker("alice", "#lab")).toBe(iso(10));
    expect(await store.setReadMarker("alice", "#lab", iso(20))).toBe(iso(20));
    // Compared as times, not as text: 00:00:30+01:00 is an hour before 00:00:20Z.
    expect(await store.setReadMarker("alice", "#lab", "2026-01-01T00:00:30.000+01:00")).toBe(iso(20));
    // Stored in one form: without milliseconds in, with them out.
    expect(await store.setReadMarker("alice", "#lab", "2026-01-01T00:01:00Z")).toBe(iso(60));
    expect(await store.setReadMarker("alice", "Bob", iso(1))).toBe(iso(1));
    expect(await store.readMarker("alice", "bob")).toBe(iso(1));
    expect(await store.readMarker("alice", "#other")).toBeUndefined();
    expect(await store.readMarker("bob", "#lab")).toBeUndefined();
    await expect(store.setReadMarker("alice", "#lab", "yesterday")).rejects.toMatchObject({ name: "AccountStoreError", code: "EINVAL" });
    expect(await store.readMarker("alice", "#lab")).toBe(iso(60));
  });

  it("presences: save, replace, get, list by account name, drop", async () => {
    const { store } = await backend.open();
    const alice: Presence = { nick: "alice_", channels: ["#Lab", "#ops"], seen: base + 1 };
    const bob: Presence = { nick: "Bob", channels: [], seen: base + 2 };
    expect(await store.presences()).toEqual(new Map());
    await store.savePresence("Alice", { ...alice, nick: "old" });
    await store.savePresence("Alice", alice);
    await store.savePresence("Bob", bob);
    expect(await store.presence("ALICE")).toEqual(alice);
    expect(await store.presence("carol")).toBeUndefined();
    expect(await store.presences()).toEqual(new Map([["Alice", alice], ["Bob", bob]]));
    await store.dropPresence("alice");
    expect(await store.presence("Alice")).toBeUndefined();
    expect(await store.presences()).toEqual(new Map([["Bob", bob]]));
    await store.dropPresence("nobody");
  });

  it("drop removes the account with its fingerprints, read markers, presence and founded channels, and nothing of others", async () => {
    const { store } = await backend.open();
    await store.create(record("Alice", { certfps: [fp1] }));
    await store.create(record("Bob", { certfps: [fp2] }));
    await store.claimChannel("#a", "Alice");
    await store.claimChannel("#b", "alice");
    await store.claimChannel("#c", "Bob");
    // Alice founded #d once, released it, and Bob took it over: it stays Bob's.
    await store.claimChannel("#d", "Alice");
    await store.releaseChannel("#d");
    await store.claimChannel("#d", "Bob");
    await store.setReadMarker("Alice", "#a", iso(1));
    await store.setReadMarker("Bob", "#a", iso(2));
    await store.savePresence("Alice", { nick: "alice", channels: ["#a"], seen: base });
    await store.savePresence("Bob", { nick: "bob", channels: ["#c"], seen: base });

    expect(await store.drop("ALICE")).toBe(true);
    expect(await store.get("alice")).toBeUndefined();
    expect(await store.byCertfp(fp1)).toBeUndefined();
    expect(await store.founder("#a")).toBeUndefined();
    expect(await store.founder("#b")).toBeUndefined();
    expect(await store.readMarker("alice", "#a")).toBeUndefined();
    expect(await store.presence("alice")).toBeUndefined();
    expect(await store.drop("alice")).toBe(false);

    expect(await store.get("bob")).toEqual(record("Bob", { certfps: [fp2] }));
    expect(await store.byCertfp(fp2)).toBe("Bob");
    expect(await store.founder("#c")).toBe("Bob");
    expect(await store.founder("#d")).toBe("Bob");
    expect(await store.readMarker("bob", "#a")).toBe(iso(2));
    expect(await store.presences()).toEqual(new Map([["Bob", { nick: "bob", channels: ["#c"], seen: base }]]));
    // The name is free again, with nothing left of the old account.
    expect(await store.create(record("alice"))).toBe(true);
    expect(await store.readMarker("alice", "#a")).toBeUndefined();
  });

  it(backend.name === "SQLite" ? "data survives closing and reopening the data dir" : "a second store on the same url and prefix sees the data", async () => {
    const { store, again } = await backend.open();
    await store.create(record("Alice", { email: "a@example.org", certfps: [fp1], alwaysOn: true }));
    await store.claimChannel("#lab", "Alice");
    await store.setReadMarker("alice", "#lab", iso(3));
    await store.savePresence("alice", { nick: "Alice", channels: ["#lab"], seen: base });
    const second = await again();
    expect(await second.get("ALICE")).toEqual(record("Alice", { email: "a@example.org", certfps: [fp1], alwaysOn: true }));
    expect(await second.byCertfp(fp1)).toBe("Alice");
    expect(await second.founder("#LAB")).toBe("Alice");
    expect(await second.claimChannel("#lab", "Bob")).toBe("Alice");
    expect(await second.readMarker("alice", "#lab")).toBe(iso(3));
    expect(await second.presences()).toEqual(new Map([["alice", { nick: "Alice", channels: ["#lab"], seen: base }]]));
  });
});

describe("SqliteAccounts", () => {
  test("the file is chat-accounts.db in WAL mode, in a data dir created when missing", async () => {
    const dataDir = path.join(tempDir(), "nested", "data");
    const store = track(new SqliteAccounts({ dataDir }));
    expect(store.file).toBe(path.join(dataDir, "chat-accounts.db"));
    await store.create(record("Alice"));
    expect(existsSync(path.join(dataDir, "chat-accounts.db-wal"))).toBe(true);
  });

  test("a data dir that is a file: AccountStoreError naming the file, on one line", () => {
    const dataDir = path.join(tempDir(), "not-a-dir");
    writeFileSync(dataDir, "");
    let caught: unknown;
    try {
      track(new SqliteAccounts({ dataDir }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AccountStoreError);
    const error = caught as AccountStoreError;
    expect(error.store).toBe("sqlite");
    expect(error.input).toBe(path.join(dataDir, "chat-accounts.db"));
    expect(error.code).toMatch(/^E[A-Z]+$/);
    expect(error.message).toContain(path.join(dataDir, "chat-accounts.db"));
    expect(error.message).not.toMatch(/\n/);
  });

  test("calls after close reject with an AccountStoreError", async () => {
    const store = new SqliteAccounts({ dataDir: tempDir() });
    await store.close();
    await store.close();
    await expect(store.get("alice")).rejects.toBeInstanceOf(AccountStoreError);
  });
});

describe("RedisAccounts", () => {
  test("a URL that is not redis:// or rediss:// is an AccountStoreError, with any password hidden", () => {
    for (const url of ["not a url", "http://127.0.0.1:6379", "redis://127.0.0.1:6379/not-a-db"]) {
      expect(() => new RedisAccounts({ url })).toThrow(AccountStoreError);
    }
    expect(() => new RedisAccounts({ url: "http://user:secret@127.0.0.1" })).toThrow(/user:\*\*\*@/);
  });

  test.skipIf(noRedis)("two prefixes on one server do not see each other's data", async () => {
    const { url } = await redis();
    const one = track(new RedisAccounts({ url, prefix: `iso${++prefixes}` }));
    const two = track(new RedisAccounts({ url, prefix: `iso${++prefixes}` }));
    expect(await one.create(record("Alice", { certfps: [fp1] }))).toBe(true);
    await one.claimChannel("#lab", "Alice");
    await one.setReadMarker("alice", "#lab", iso(1));
    await one.savePresence("alice", { nick: "alice", channels: [], seen: base });
    expect(await two.get("alice")).toBeUndefined();
    expect(await two.byCertfp(fp1)).toBeUndefined();
    expect(await two.founder("#lab")).toBeUndefined();
    expect(await two.readMarker("alice", "#lab")).toBeUndefined();
    expect(await two.presences()).toEqual(new Map());
    // The same name is free under the other prefix, and dropping it there leaves the first alone.
    expect(await two.create(record("Alice"))).toBe(true);
    expect(await two.drop("alice")).toBe(true);
    expect(await one.get("alice")).toEqual(record("Alice", { certfps: [fp1] }));
    expect(await one.founder("#lab")).toBe("Alice");
  });

  test.skipIf(noRedis)("released channels and dropped accounts leave no keys behind", async () => {
    const { url } = await redis();
    const prefix = `leak${++prefixes}`;
    const store = track(new RedisAccounts({ url, prefix }));
    const raw = new Redis(url);
    try {
      await store.create(record("Alice", { certfps: [fp1] }));
      await store.create(record("Bob", { certfps: [fp2] }));
      await store.claimChannel("#a", "Alice");
      await store.releaseChannel("#a");
      await store.claimChannel("#b", "Bob");
      await store.setReadMarker("bob", "#b", iso(1));
      await store.savePresence("bob", { nick: "bob", channels: ["#b"], seen: base });
      expect((await raw.keys(`${prefix}:*`)).sort()).toEqual(
        [`${prefix}:acct:alice`, `${prefix}:acct:bob`, `${prefix}:acct-cert:${fp1}`, `${prefix}:acct-cert:${fp2}`, `${prefix}:acct-founded:bob`, `${prefix}:founder:#b`, `${prefix}:markers:bob`, `${prefix}:presences`].sort(),
      );
      await store.drop("bob");
      expect((await raw.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:acct:alice`, `${prefix}:acct-cert:${fp1}`].sort());
      await store.drop("alice");
      expect(await raw.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      raw.disconnect();
    }
  });

  test.skipIf(noRedis)("the default prefix is netlab; a closed store rejects with an AccountStoreError", async () => {
    const { url } = await redis();
    const store = new RedisAccounts({ url });
    await store.savePresence("DefaultPrefixCheck", { nick: "x", channels: [], seen: 0 });
    const raw = new Redis(url);
    try {
      expect(await raw.hexists("netlab:presences", "defaultprefixcheck")).toBe(1);
      await store.dropPresence("defaultprefixcheck");
    } finally {
      raw.disconnect();
    }
    await store.close();
    await expect(store.get("alice")).rejects.toMatchObject({ name: "AccountStoreError", store: "redis" });
  });
});
