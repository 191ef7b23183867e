import { redisProgram, startRedis, type Redis as RedisServer } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { conversationKey, createRedisHistory, parseMessage, type HistoryEntry, type RedisHistory, type RedisHistoryOptions } from "../src/index.js";
import { joinAll, type Named } from "./fixture.js";
import { register, startServer } from "./raw-client.js";

const base = Date.parse("2026-01-01T00:00:00.000Z");

function entry(i: number, target = "#lab", source = "ann!~ann@127.0.0.1"): HistoryEntry {
  return { msgid: `m${i}`, time: new Date(base + i * 1_000).toISOString(), source, command: "PRIVMSG", target, text: `line ${i}` };
}

const historyCaps = ["batch", "server-time", "message-tags", "draft/chathistory"];

/** Sends a CHATHISTORY request and returns the texts of the batch it gets. */
async function history(client: Named, request: string): Promise<string[]> {
  client.skip();
  client.send(request);
  const open = await client.expect(/ BATCH \+\S+ /);
  const id = / BATCH \+(\S+)/.exec(open)?.[1] ?? "";
  await client.expect(new RegExp(` BATCH -${id}$`));
  return client.lines.filter((line) => line.startsWith(`@batch=${id};`)).map((line) => parseMessage(line)?.params[1] ?? "");
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(redisProgram().skip)("RedisHistory on a real redis-server", () => {
  let server: RedisServer;
  let prefix = 0;
  const stores: RedisHistory[] = [];
  const clients: Named[] = [];
  beforeAll(async () => {
    server = await startRedis({ persist: true, args: ["--appendfsync", "always"] });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    for (const store of stores.splice(0)) store.close();
  });
  afterAll(async () => server.stop());

  /** A store on its own key prefix, so tests do not see each other's streams. */
  function open(options: Partial<RedisHistoryOptions> = {}, name = `t${++prefix}`): RedisHistory {
    const store = createRedisHistory({ url: server.url, prefix: name, ...options });
    stores.push(store);
    return store;
  }

  async function user(port: number, nick: string, caps = historyCaps): Promise<Named> {
    const client = Object.assign(await register(port, nick, caps), { nick });
    clients.push(client);
    return client;
  }

  test("commit pipelines the appends and resolves once Redis holds them; ranges are oldest first with exclusive bounds", async () => {
    const store = open();
    for (let i = 0; i < 10; i++) store.append(entry(i));
    await store.commit();
    expect(store.commit()).toBeUndefined();
    const at3 = await store.find("#lab", "m3");
    const at7 = await store.find("#lab", "m7");
    // Stream ids are the server time: the position of m3 is its millisecond.
    expect(at3).toEqual({ time: base + 3_000, seq: 0 });
    const texts = async (range: Parameters<typeof store.range>[1]) => (await store.range("#lab", range)).map((row) => row.text);
    expect(await texts({ after: at3, before: at7, limit: 2, from: "start" })).toEqual(["line 4", "line 5"]);
    expect(await texts({ after: at3, before: at7, limit: 2, from: "end" })).toEqual(["line 5", "line 6"]);
    expect(await texts({ before: at3, limit: 100, from: "end" })).toEqual(["line 0", "line 1", "line 2"]);
    expect((await store.range("#lab", { limit: 1, from: "end" }))[0]).toEqual(entry(9));
    expect(await store.range("#other", { limit: 10, from: "end" })).toEqual([]);
    expect(await store.find("#lab", "no-such-id")).toBeUndefined();
  });

  test("messages with the same time keep their arrival order (sequence part of the id)", async () => {
    const store = open();
    for (const text of ["a", "b", "c"]) store.append({ ...entry(1), msgid: `same-${text}`, text });
    await store.commit();
    expect(await store.find("#lab", "same-c")).toEqual({ time: base + 1_000, seq: 2 });
    expect((await store.range("#lab", { after: { time: base + 1_000, seq: 0 }, limit: 10, from: "start" })).map((row) => row.text)).toEqual(["b", "c"]);
  });

  test("a node whose clock is behind still appends after the newest entry: one order for every node", async () => {
    const name = `t${++prefix}`;
    const [ahead, behind] = [open({}, name), open({}, name)];
    ahead.append(entry(5));
    await ahead.commit();
    behind.append(entry(2));
    await behind.commit();
    expect((await ahead.range("#lab", { limit: 10, from: "end" })).map((row) => row.msgid)).toEqual(["m5", "m2"]);
    // It keeps its own time tag, and sits just after m5 in the stream.
    expect((await behind.range("#lab", { limit: 1, from: "end" }))[0]?.time).toBe(entry(2).time);
    expect(await behind.find("#lab", "m2")).toEqual({ time: base + 5_000, seq: 1 });
  });

  test("private messages share one conversation and each side finds it with targets()", async () => {
    const store = open();
    store.append(entry(1, "Bob", "Ann!~a@h"));
    store.append(entry(2, "ann", "bob!~b@h"));
    store.append(entry(3, "#lab", "ann!~a@h"));
    await store.commit();
    const key = conversationKey("ann", "BOB");
    expect((await store.range(key, { limit: 10, from: "end" })).map((row) => row.text)).toEqual(["line 1", "line 2"]);
    expect(await store.targets("ann", ["#lab", "#empty"], base, base + 10_000, 10)).toEqual([
      { key, name: "bob", time: base + 2_000 },
      { key: "#lab", name: "", time: base + 3_000 },
    ]);
    expect(await store.targets("ann", ["#lab"], base, base + 2_500, 10)).toEqual([{ key, name: "bob", time: base + 2_000 }]);
    expect(await store.targets("bob", [], base + 2_000, base + 10_000, 10)).toEqual([]);
    expect(await store.targets("nobody", [], base, base + 10_000, 10)).toEqual([]);
  });

  test("retention: MAXLEN ~ keeps at least maxLines, trims the rest and their msgids; MINID ~ and expiry by age", async () => {
    const store = open({ maxLines: 100 });
    for (let i = 0; i < 1_000; i++) store.append(entry(i));
    await store.commit();
    const raw = new Redis(server.url);
    try {
      const length = await raw.xlen(`t${prefix}:history:#lab`);
      expect(length).toBeGreaterThanOrEqual(100);
      expect(length).toBeLessThan(300);
      expect(await raw.zcard(`t${prefix}:history-ids:#lab`)).toBeLessThan(300);
      expect(await store.find("#lab", "m0")).toBeUndefined();
      expect(await store.find("#lab", "m999")).toEqual({ time: base + 999_000, seq: 0 });

      const aged = open({ maxLines: 0, maxAgeMs: 100_000 });
      for (let i = 0; i < 1_000; i++) aged.append(entry(i));
      await aged.commit();
      const kept = await aged.range("#lab", { limit: 1_000, from: "start" });
      // Whole stream nodes (100 entries) go: everything older than 100 s before the newest, give or take a node.
      expect(kept.length).toBeGreaterThanOrEqual(101);
      expect(kept.length).toBeLessThan(300);
      expect(kept.at(-1)?.msgid).toBe("m999");
      const ttl = await raw.pttl(`t${prefix}:history:#lab`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(100_000);
    } finally {
      raw.disconnect();
    }
  });

  test("a message is in Redis before any client receives it", async () => {
    const started = await startServer({ history: createRedisHistory({ url: server.url, prefix: `t${++prefix}` }) });
    const raw = new Redis(server.url);
    try {
      const [a, b] = [await user(started.port, "ann"), await user(started.port, "bob")];
      await joinAll("#now", a, b);
      for (let i = 0; i < 5; i++) {
        // Redis holds writes for 200 ms: the server must hold the line as long.
        await raw.client("PAUSE", 200, "WRITE");
        const sent = Date.now();
        a.send(`PRIVMSG #now :hello ${i}`);
        const line = await b.expect(new RegExp(`:hello ${i}$`));
        expect(Date.now() - sent).toBeGreaterThanOrEqual(150);
        const msgid = parseMessage(line)?.tags?.msgid ?? "";
        const [newest] = await raw.xrevrange(`t${prefix}:history:#now`, "+", "-", "COUNT", 1);
        expect(newest?.[1]).toContain(msgid);
      }
      // Lines said while a commit waits go into the next one, and each client gets them in order.
      await raw.client("PAUSE", 200, "WRITE");
      for (let i = 0; i < 4; i++) {
        a.send(`PRIVMSG #now :queued ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      await b.expect(/:queued 3$/);
      expect(b.lines.filter((line) => line.includes(":queued ")).map((line) => parseMessage(line)?.params[1])).toEqual(["queued 0", "queued 1", "queued 2", "queued 3"]);
      expect(await history(b, "CHATHISTORY LATEST #now * 4")).toEqual(["queued 0", "queued 1", "queued 2", "queued 3"]);
      // A client that quits while a line for it waits on the commit still gets the line, then its ERROR.
      await raw.client("PAUSE", 200, "WRITE");
      a.send("PRIVMSG #now :last words");
      await new Promise((resolve) => setTimeout(resolve, 50));
      b.send("QUIT :bye");
      await b.done;
      const tail = b.lines.slice(-2);
      expect(tail[0]).toMatch(/ PRIVMSG #now :last words$/);
      expect(tail[1]).toMatch(/^ERROR :Closing Link/);
    } finally {
      raw.disconnect();
      await started.stop();
    }
  });

  test("two servers sharing one Redis see one history", async () => {
    const name = `t${++prefix}`;
    const nodes = [
      await startServer({ serverName: "a.test", history: createRedisHistory({ url: server.url, prefix: name }) }),
      await startServer({ serverName: "b.test", history: createRedisHistory({ url: server.url, prefix: name }) }),
    ];
    try {
      const [ann, amy] = [await user(nodes[0]?.port ?? 0, "ann"), await user(nodes[0]?.port ?? 0, "amy")];
      const [bob, bea] = [await user(nodes[1]?.port ?? 0, "bob"), await user(nodes[1]?.port ?? 0, "bea")];
      await joinAll("#shared", ann, amy);
      await joinAll("#shared", bob, bea);
      const expected: string[] = [];
      for (let i = 0; i < 5; i++) {
        ann.send(`PRIVMSG #shared :from a ${i}`);
        await amy.expect(new RegExp(`:from a ${i}$`));
        bob.send(`PRIVMSG #shared :from b ${i}`);
        await bea.expect(new RegExp(`:from b ${i}$`));
        expected.push(`from a ${i}`, `from b ${i}`);
      }
      expect(await history(amy, "CHATHISTORY LATEST #shared * 100")).toEqual(expected);
      expect(await history(bea, "CHATHISTORY LATEST #shared * 100")).toEqual(expected);
      expect(await history(bea, "CHATHISTORY LATEST #shared * 3")).toEqual(expected.slice(-3));
    } finally {
      for (const node of nodes) await node?.stop();
    }
  });

  test("Redis killed: commits fail and are counted, delivery goes on; after a restart history works again", async () => {
    const store = createRedisHistory({ url: server.url, prefix: `t${++prefix}` });
    const started = await startServer({ history: store });
    try {
      const [a, b] = [await user(started.port, "ann"), await user(started.port, "bob")];
      await joinAll("#down", a, b);
      a.send("PRIVMSG #down :before");
      await b.expect(/:before$/);

      await server.kill("SIGKILL");
      await until(() => store.redis.status !== "ready", "the client to notice");
      a.send("PRIVMSG #down :during");
      await b.expect(/:during$/);
      expect(started.server.stats.limitHits.get("history_write")).toBeGreaterThanOrEqual(1);
      b.send("CHATHISTORY LATEST #down * 10");
      await b.expect(/FAIL CHATHISTORY MESSAGE_ERROR LATEST #down :/);

      await server.restart();
      await until(() => store.redis.status === "ready", "the client to reconnect", 15_000);
      a.send("PRIVMSG #down :after");
      await b.expect(/:after$/);
      // The append-only file kept what was written before; what was said during the outage is not stored.
      expect(await history(b, "CHATHISTORY LATEST #down * 10")).toEqual(["before", "after"]);
    } finally {
      await started.stop();
    }
  });
});
