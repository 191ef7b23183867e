import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { redisProgram, startRedis } from "@netlab/test-kit";
import { afterAll, describe, expect, test } from "vitest";
import { createRedisHistory, openSqliteHistory, parseMessage, type HistoryStore } from "../src/index.js";
import { joinAll, useServer, type Named } from "./fixture.js";
import { startServer, register } from "./raw-client.js";

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** The same CHATHISTORY behaviour is checked against each store. */
const stores: { name: string; skip: boolean; open: () => Promise<HistoryStore> }[] = [
  {
    name: "SQLite",
    skip: false,
    open: async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-history-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      return openSqliteHistory({ dataDir });
    },
  },
  {
    name: "Redis Streams",
    skip: redisProgram().skip,
    open: async () => {
      const redis = await startRedis();
      cleanups.push(() => redis.stop());
      return createRedisHistory({ url: redis.url });
    },
  },
];

const historyCaps = ["batch", "server-time", "message-tags", "draft/chathistory"];

/** What a client saw of one message: its msgid, time and text. */
interface Seen {
  msgid: string;
  time: string;
  text: string;
}

/** a says each text to target; b (with message-tags) sees them; returns them as b saw them. */
async function say(a: Named, b: Named, target: string, texts: string[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (const text of texts) {
    a.send(`PRIVMSG ${target} :${text}`);
    const message = parseMessage(await b.expect(new RegExp(` PRIVMSG \\S+ :${text}$`)));
    seen.push({ msgid: message?.tags?.msgid ?? "", time: message?.tags?.time ?? "", text });
  }
  return seen;
}

/** Sends a CHATHISTORY request and returns the batch it gets: its opening line and the messages in it. */
async function history(client: Named, request: string): Promise<{ open: string; lines: string[]; texts: string[] }> {
  client.skip();
  client.send(request);
  const open = await client.expect(/ BATCH \+\S+ /);
  const id = / BATCH \+(\S+)/.exec(open)?.[1] ?? "";
  await client.expect(new RegExp(` BATCH -${id}$`));
  const lines = client.lines.filter((line) => line.startsWith(`@batch=${id};`));
  return { open, lines, texts: lines.map((line) => parseMessage(line)?.params[1] ?? "") };
}

const words = ["one", "two", "three", "four", "five", "six", "seven", "eight"];

for (const store of stores) describe.skipIf(store.skip)(`draft/chathistory on ${store.name}`, () => {
  const { user, channel, state } = useServer(async () => ({ history: await store.open(), autoreplayLines: 3 }));

  test("offered in CAP LS and advertised in 005", async () => {
    const a = await user("a");
    a.send("CAP LS 302");
    await a.expect(/ CAP \S+ LS :.*draft\/chathistory/);
    const b = await user("b");
    expect(b.lines.join("\n")).toMatch(/ 005 .*CHATHISTORY=1000 MSGREFTYPES=msgid,timestamp/);
  });

  test("LATEST * replays the last lines in a chathistory batch with their original msgid and time", async () => {
    const [a, b] = [await user("a"), await user("b", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    const seen = await say(a, b, ch, words);
    const { open, lines, texts } = await history(b, `CHATHISTORY LATEST ${ch} * 5`);
    expect(open).toMatch(new RegExp(`^:irc\\.test BATCH \\+\\S+ chathistory ${ch}$`));
    expect(texts).toEqual(words.slice(3));
    lines.forEach((line, i) => {
      const tags = parseMessage(line)?.tags;
      expect(tags?.msgid).toBe(seen[i + 3]?.msgid);
      expect(tags?.time).toBe(seen[i + 3]?.time);
      expect(line).toMatch(new RegExp(`:${a.nick}!~${a.nick}@127\\.0\\.0\\.1 PRIVMSG ${ch} :`));
    });
  });

  test("a replayed batch is sent in one piece and counted line by line in chat_lines_sent_total", async () => {
    const [a, b] = [await user("a"), await user("b", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    await say(a, b, ch, words);
    const before = state.server?.linesSent() ?? 0;
    const { lines } = await history(b, `CHATHISTORY LATEST ${ch} * 6`);
    expect(lines).toHaveLength(6);
    // Six messages plus the BATCH + and BATCH - lines; nobody else was sent anything meanwhile.
    expect((state.server?.linesSent() ?? 0) - before).toBe(8);
  });

  test("BEFORE, AFTER, AROUND, BETWEEN and LATEST by msgid and by timestamp", async () => {
    const [a, b] = [await user("a"), await user("b", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    const seen = await say(a, b, ch, words);
    const id = (i: number): string => `msgid=${seen[i]?.msgid ?? ""}`;
    const at = (i: number): string => `timestamp=${seen[i]?.time ?? ""}`;
    expect((await history(b, `CHATHISTORY BEFORE ${ch} ${id(5)} 3`)).texts).toEqual(["three", "four", "five"]);
    expect((await history(b, `CHATHISTORY AFTER ${ch} ${id(2)} 2`)).texts).toEqual(["four", "five"]);
    expect((await history(b, `CHATHISTORY AROUND ${ch} ${id(4)} 4`)).texts).toEqual(["three", "four", "five", "six"]);
    expect((await history(b, `CHATHISTORY BETWEEN ${ch} ${id(1)} ${id(6)} 10`)).texts).toEqual(["three", "four", "five", "six"]);
    expect((await history(b, `CHATHISTORY BETWEEN ${ch} ${id(1)} ${id(6)} 2`)).texts).toEqual(["three", "four"]);
    expect((await history(b, `CHATHISTORY BETWEEN ${ch} ${id(6)} ${id(1)} 2`)).texts).toEqual(["five", "six"]);
    expect((await history(b, `CHATHISTORY LATEST ${ch} ${id(5)} 10`)).texts).toEqual(["seven", "eight"]);
    // Timestamps: everything strictly after the first message's time and up to the last.
    const afterFirst = (await history(b, `CHATHISTORY AFTER ${ch} ${at(0)} 100`)).texts;
    expect(afterFirst.at(-1)).toBe("eight");
    expect(afterFirst).not.toContain("one");
    expect((await history(b, `CHATHISTORY BEFORE ${ch} timestamp=2000-01-01T00:00:00.000Z 10`)).texts).toEqual([]);
    expect((await history(b, `CHATHISTORY AFTER ${ch} msgid=no-such-id 10`)).texts).toEqual([]);
  });

  test("private conversations: both sides read the same history, and TARGETS lists it", async () => {
    const [a, b] = [await user("a", historyCaps), await user("b", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    const start = new Date(Date.now() - 1_000).toISOString();
    await say(a, b, b.nick, ["hi b"]);
    await say(b, a, a.nick, ["hi a"]);
    await say(a, b, ch, ["in the channel"]);
    expect((await history(a, `CHATHISTORY LATEST ${b.nick} * 10`)).texts).toEqual(["hi b", "hi a"]);
    expect((await history(b, `CHATHISTORY LATEST ${a.nick.toUpperCase()} * 10`)).texts).toEqual(["hi b", "hi a"]);
    const end = new Date(Date.now() + 1_000).toISOString();
    a.skip();
    a.send(`CHATHISTORY TARGETS timestamp=${start} timestamp=${end} 10`);
    const open = await a.expect(/ BATCH \+\S+ draft\/chathistory-targets$/);
    const batch = / BATCH \+(\S+)/.exec(open)?.[1] ?? "";
    await a.expect(new RegExp(` BATCH -${batch}$`));
    const listed = a.lines.filter((line) => line.startsWith(`@batch=${batch} `)).map((line) => parseMessage(line)?.params[1]);
    expect(listed).toEqual([b.nick, ch]);
  });

  test.each([
    ["CHATHISTORY FOO #x * 10", /FAIL CHATHISTORY INVALID_PARAMS FOO :/],
    ["CHATHISTORY LATEST #x", /FAIL CHATHISTORY NEED_MORE_PARAMS LATEST :/],
    ["CHATHISTORY BEFORE #x * 10", /FAIL CHATHISTORY INVALID_PARAMS BEFORE \* :/],
    ["CHATHISTORY LATEST #x * zero", /FAIL CHATHISTORY INVALID_PARAMS LATEST \* :/],
    ["CHATHISTORY AFTER #x timestamp=yesterday 10", /FAIL CHATHISTORY INVALID_PARAMS AFTER timestamp=yesterday :/],
    ["CHATHISTORY TARGETS * * 10", /FAIL CHATHISTORY INVALID_PARAMS TARGETS :/],
  ])("%s fails", async (line, reply) => {
    const a = await user("a", historyCaps);
    a.send(line);
    await a.expect(reply);
  });

  test("a channel's history is only for its members", async () => {
    const [a, b, c] = [await user("a"), await user("b"), await user("c", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    await say(a, b, ch, ["secret"]);
    c.send(`CHATHISTORY LATEST ${ch} * 10`);
    await c.expect(new RegExp(`FAIL CHATHISTORY INVALID_TARGET LATEST ${ch} :`));
  });

  test("messages to oneself are a conversation of their own", async () => {
    const c = await user("c", historyCaps);
    c.send(`PRIVMSG ${c.nick} :note to self`);
    await c.expect(/note to self/);
    c.send(`CHATHISTORY LATEST ${c.nick} * 10`);
    expect(await c.expect(/PRIVMSG/)).toMatch(new RegExp(`PRIVMSG ${c.nick} :note to self$`));
  });

  test("what only operators saw (@#chan) stays out of the history", async () => {
    const [a, b] = [await user("a"), await user("b", historyCaps)];
    const ch = channel();
    await joinAll(ch, a, b);
    a.send(`MODE ${ch} +o ${b.nick}`);
    await b.expect(/ MODE .* \+o /);
    a.send(`PRIVMSG @${ch} :ops only`);
    await b.expect(/:ops only$/);
    await say(a, b, ch, ["for all"]);
    expect((await history(b, `CHATHISTORY LATEST ${ch} * 10`)).texts).toEqual(["for all"]);
  });

  test("JOIN replays the last lines to clients without draft/chathistory, not to those with it", async () => {
    const [a, b] = [await user("a"), await user("b", ["message-tags"])];
    const ch = channel();
    await joinAll(ch, a, b);
    await say(a, b, ch, words.slice(0, 5));
    const [plain, batched, asker] = [await user("p"), await user("q", ["batch", "server-time"]), await user("r", historyCaps)];
    for (const client of [plain, batched, asker]) {
      client.send(`JOIN ${ch}`);
      await client.expect(/ 366 /);
    }
    for (const text of ["three", "four", "five"]) await plain.expect(new RegExp(`^:${a.nick}!\\S+ PRIVMSG ${ch} :${text}$`));
    await batched.expect(/ BATCH \+\S+ chathistory #/);
    await batched.expect(/^@batch=\S+;time=\S+ :\S+ PRIVMSG #\S+ :three$/);
    await batched.expect(/ BATCH -/);
    asker.send("PING :end");
    await asker.expect(/PONG/);
    expect(asker.lines.some((line) => line.includes(` PRIVMSG ${ch} `))).toBe(false);
  });
});

describe("without history", () => {
  test("draft/chathistory is not offered and CHATHISTORY is unknown", async () => {
    const { port, stop } = await startServer();
    try {
      const a = await register(port, "solo");
      a.send("CAP LS 302");
      const ls = await a.expect(/ CAP \S+ LS /);
      expect(ls).not.toMatch(/chathistory/);
      a.send("CHATHISTORY LATEST #x * 10");
      await a.expect(/ 421 solo CHATHISTORY :Unknown command/);
      a.close();
    } finally {
      await stop();
    }
  });
});
