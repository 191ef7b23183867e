import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openSqliteHistory, parseMessage } from "../src/index.js";
import { fail, note, warn } from "../src/commands/standard-replies.js";
import { commandHarness, FakeLink, settle } from "./command-harness.js";
import { useServer } from "./fixture.js";

const labelCaps = ["batch", "labeled-response"];

/** The batch id a `BATCH +id type` line opens. */
function batchId(line: string | undefined): string {
  return /BATCH \+(\S+)/.exec(line ?? "")?.[1] ?? "";
}

/** Checks lines are one labeled batch of type around inner, each inner line tagged with its id; returns inner's lines. */
function expectBatch(lines: string[], label: string, type = "labeled-response"): string[] {
  const id = batchId(lines[0]);
  expect(lines[0]).toBe(`@label=${label} :irc.test BATCH +${id} ${type}`);
  expect(id).toMatch(/^[A-Za-z0-9-]+$/);
  expect(lines.at(-1)).toBe(`:irc.test BATCH -${id}`);
  const inner = lines.slice(1, -1);
  for (const line of inner) expect(parseMessage(line)?.tags?.batch).toBe(id);
  return inner;
}

describe("labeled-response, command handlers in-process", () => {
  test("CAP LS offers labeled-response; one reply is labeled, none is a labeled ACK, an unknown command's 421 is labeled", async () => {
    const h = commandHarness();
    const probe = h.connect();
    h.run(probe, "CAP LS 302");
    expect(probe.lines()[0]).toMatch(/ labeled-response /);
    const ann = await h.user("ann", labelCaps);
    h.run(ann, "@label=p1 PING hello");
    expect(ann.lines()).toEqual(["@label=p1 :irc.test PONG irc.test hello"]);
    h.run(ann, "@label=p2 PONG hello");
    expect(ann.lines()).toEqual(["@label=p2 :irc.test ACK"]);
    h.run(ann, "@label=p3 NONEXISTENT");
    expect(ann.lines()).toEqual(["@label=p3 :irc.test 421 ann NONEXISTENT :Unknown command"]);
    // A label value is escaped back as it came.
    h.run(ann, "@label=a\\sb\\:c PING x");
    expect(ann.lines()).toEqual(["@label=a\\sb\\:c :irc.test PONG irc.test x"]);
  });

  test("several replies come in a labeled-response batch: JOIN, NAMES; WHOIS of nobody", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", [...labelCaps, "server-time", "message-tags"]);
    h.run(ann, "@label=j1 JOIN #lab");
    const inner = expectBatch(ann.lines(), "j1");
    expect(inner.map((line) => parseMessage(line)?.command)).toEqual(["JOIN", "353", "366"]);
    // The JOIN's own tags stay, with the batch tag added.
    expect(parseMessage(inner[0] ?? "")?.tags?.time).toMatch(/^\d{4}-/);
    h.run(ann, "@label=w1 WHOIS nobody");
    expect(expectBatch(ann.lines(), "w1").map((line) => parseMessage(line)?.command)).toEqual(["401", "318"]);
  });

  test("the echo of the sender's own message carries the label (echo-message); recipients never see it", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", [...labelCaps, "echo-message", "message-tags"]);
    const bob = await h.user("bob", [...labelCaps, "echo-message", "message-tags"]);
    const carl = await h.user("carl");
    h.run(ann, "JOIN #e");
    h.run(bob, "JOIN #e");
    h.run(carl, "JOIN #e");
    ann.lines();
    bob.lines();
    carl.lines();
    h.run(ann, "@label=m1;+draft/react=yes PRIVMSG bob :hi");
    const [echo] = ann.lines();
    expect(parseMessage(echo ?? "")?.tags).toMatchObject({ label: "m1", "+draft/react": "yes" });
    expect(bob.lines().map((line) => parseMessage(line)?.tags?.label)).toEqual([undefined]);
    h.run(ann, "@label=m2 NOTICE #e :to all");
    expect(ann.lines()).toEqual([expect.stringMatching(/^@label=m2;\S+ :ann!\S+ NOTICE #e :to all$/)]);
    expect(bob.lines()).toEqual([expect.stringMatching(/^@(?!.*label)\S+ :ann!\S+ NOTICE #e :to all$/)]);
    expect(carl.lines()).toEqual([expect.stringMatching(/^:ann!\S+ NOTICE #e :to all$/)]);
    // Several targets: several echoes, in one batch.
    h.run(ann, "@label=m3 PRIVMSG bob,carl :both");
    expect(expectBatch(ann.lines(), "m3").map((line) => parseMessage(line)?.params)).toEqual([
      ["bob", "both"],
      ["carl", "both"],
    ]);
    // To oneself: the copy received is not labeled, the echo is.
    h.run(ann, "@label=m4 PRIVMSG ann :me");
    const self = ann.lines();
    expect(self).toHaveLength(2);
    expect(self.filter((line) => parseMessage(line)?.tags?.label === "m4")).toHaveLength(1);
    h.run(ann, "@label=m5 TAGMSG ann");
    expect(ann.lines()).toEqual(["@label=m5 :irc.test ACK"]);
  });

  test("without echo-message a message's reply is an ACK, and a message to oneself arrives unlabeled", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", labelCaps);
    await h.user("bob");
    h.run(ann, "@label=x1 PRIVMSG bob :hi");
    expect(ann.lines()).toEqual(["@label=x1 :irc.test ACK"]);
    h.run(ann, "@label=x2 PRIVMSG ann :me");
    expect(ann.lines()).toEqual([expect.stringMatching(/^:ann!\S+ PRIVMSG ann :me$/), "@label=x2 :irc.test ACK"]);
  });

  test("a client without the capability, or without batch, or with a label over 64 bytes, sees nothing new", async () => {
    const h = commandHarness();
    const plain = await h.user("plain", ["batch", "echo-message"]);
    const noBatch = await h.user("nobatch", ["labeled-response"]);
    const labeled = await h.user("labeled", labelCaps);
    for (const connection of [plain, noBatch]) {
      h.run(connection, "@label=z PING x", "@label=z PONG x", "@label=z JOIN #z");
      const lines = connection.lines();
      expect(lines[0]).toBe(":irc.test PONG irc.test x");
      expect(lines.some((line) => /label|BATCH|ACK/.test(line))).toBe(false);
    }
    h.run(labeled, `@label=${"x".repeat(65)} PING x`, `@label=${"x".repeat(64)} PING y`);
    expect(labeled.lines()).toEqual([":irc.test PONG irc.test x", `@label=${"x".repeat(64)} :irc.test PONG irc.test y`]);
  });

  test("QUIT: a connection that closed gets no ACK", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", labelCaps);
    h.run(ann, "@label=q1 QUIT :bye");
    expect(h.closed.map((close) => close.reason)).toEqual(["Quit: bye"]);
    expect(ann.lines()).toEqual([]);
  });
});

describe("standard replies", () => {
  test("FAIL, WARN and NOTE: command, code, context as single words, the description after a colon; labeled like any reply", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", labelCaps);
    fail(h.context, ann, "CHATHISTORY", "INVALID_TARGET", ["LATEST", "#x"], "Messages could not be retrieved");
    warn(h.context, ann, "*", "SOON", [], "word");
    note(h.context, ann, "SETNAME", "ODD", ["two words", "", ":colon"], "Noted");
    expect(ann.lines()).toEqual([
      ":irc.test FAIL CHATHISTORY INVALID_TARGET LATEST #x :Messages could not be retrieved",
      ":irc.test WARN * SOON :word",
      ":irc.test NOTE SETNAME ODD * * * :Noted",
    ]);
    h.run(ann, "@label=f1 CHATHISTORY LATEST #x * 10");
    // Without history, CHATHISTORY is unknown: still one labeled line.
    expect(ann.lines()).toEqual(["@label=f1 :irc.test 421 ann CHATHISTORY :Unknown command"]);
  });
});

describe("labeled-response in cluster mode: replies answered after a claim", () => {
  test("a NICK held for its claim is labeled when answered; others' messages meanwhile are not captured", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann", labelCaps);
    const bob = await h.user("bob");
    link.holdClaims = true;
    h.run(ann, "@label=n1 NICK anna", "@label=n2 PING after");
    expect(ann.held).toBe(true);
    h.run(bob, "PRIVMSG ann :meanwhile");
    expect(ann.lines()).toEqual([expect.stringMatching(/^:bob!\S+ PRIVMSG ann :meanwhile$/)]);
    link.pending.shift()?.answer(true);
    await settle();
    expect(ann.lines()).toEqual([expect.stringMatching(/^@label=n1 :ann!\S+ NICK anna$/), "@label=n2 :irc.test PONG irc.test after"]);
  });

  test("a JOIN of two new channels answers once both claims are: one batch", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann", labelCaps);
    link.holdClaims = true;
    h.run(ann, "@label=c1 JOIN #one,#two");
    expect(link.pending).toHaveLength(2);
    link.pending.shift()?.answer({ created: true });
    await settle();
    expect(ann.lines()).toEqual([]);
    link.pending.shift()?.answer({ created: true });
    await settle();
    const inner = expectBatch(ann.lines(), "c1");
    expect(inner.map((line) => parseMessage(line)?.command)).toEqual(["JOIN", "353", "366", "JOIN", "353", "366"]);
  });

  test("a claim refused: the one error line is labeled", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann", labelCaps);
    link.takenNicks.add("bob");
    h.run(ann, "@label=r1 NICK bob");
    await settle();
    expect(ann.lines()).toEqual(["@label=r1 :irc.test 433 ann bob :Nickname is already in use"]);
  });
});

describe("labeled-response with history: replies answered after a read", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-labels-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const { user, channel } = useServer(async () => ({ history: openSqliteHistory({ dataDir }), autoreplayLines: 5 }));

  test("CHATHISTORY: the label goes on its chathistory batch; its FAIL is labeled", async () => {
    const historyCaps = [...labelCaps, "draft/chathistory", "message-tags", "server-time"];
    const ann = await user("ann", historyCaps);
    const chan = channel();
    ann.send(`JOIN ${chan}`, `PRIVMSG ${chan} :one`, `PRIVMSG ${chan} :two`);
    await ann.expect(/ 366 /);
    ann.send(`@label=h1 CHATHISTORY LATEST ${chan} * 10`);
    const open = await ann.expect(/BATCH \+\S+ chathistory/);
    const id = batchId(open);
    expect(open).toBe(`@label=h1 :${parseMessage(open)?.prefix} BATCH +${id} chathistory ${chan}`);
    const texts = [await ann.expect(/PRIVMSG/), await ann.expect(/PRIVMSG/)].map((line) => parseMessage(line)?.params[1]);
    expect(texts).toEqual(["one", "two"]);
    await ann.expect(new RegExp(`BATCH -${id}$`));
    ann.send("@label=h2 CHATHISTORY LATEST #nowhere * 10");
    expect(await ann.expect(/ FAIL /)).toMatch(/^@label=h2 :\S+ FAIL CHATHISTORY INVALID_TARGET LATEST #nowhere :Messages could not be retrieved$/);
  });

  test("QUIT: the ERROR is the labeled reply, written before the connection closes", async () => {
    const ann = await user("ann", labelCaps);
    ann.send("@label=q1 QUIT :bye");
    expect(await ann.expect(/ERROR/)).toMatch(/^@label=q1 ERROR :Closing Link: \S+ \(Quit: bye\)$/);
    await ann.done;
  });

  test("JOIN with autoreplay: JOIN, NAMES and the replayed history in one labeled batch, the history nested", async () => {
    const ann = await user("ann");
    const chan = channel();
    ann.send(`JOIN ${chan}`, `PRIVMSG ${chan} :before`);
    await ann.expect(/ 366 /);
    const bob = await user("bob", labelCaps);
    bob.send(`@label=r1 JOIN ${chan}`);
    const open = await bob.expect(/BATCH \+\S+ labeled-response/);
    const outer = batchId(open);
    expect(parseMessage(open)?.tags?.label).toBe("r1");
    const close = new RegExp(`BATCH -${outer}$`);
    await bob.expect(close);
    const lines = bob.lines.slice(bob.lines.indexOf(open) + 1, bob.lines.findIndex((line) => close.test(line)));
    const inner = batchId(lines.find((line) => / BATCH \+\S+ chathistory/.test(line)));
    expect(lines.map((line) => [parseMessage(line)?.command, parseMessage(line)?.tags?.batch])).toEqual([
      ["JOIN", outer],
      ["353", outer],
      ["366", outer],
      ["BATCH", outer],
      ["PRIVMSG", inner],
      ["BATCH", outer],
    ]);
  });
});
