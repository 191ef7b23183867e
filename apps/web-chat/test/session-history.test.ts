import { describe, expect, test } from "vitest";
import { register, startSession, type Fixture } from "./session-fixture.js";

const texts = (fixture: Fixture, key = "#lobby"): string[] => fixture.session.buffers.get(key)?.messages.filter((m) => m.kind === "privmsg").map((m) => m.text) ?? [];

/** A chathistory batch as chat-server sends it: label on the BATCH line when the request had one. */
function historyBatch(id: string, target: string, entries: [msgid: string, time: string, nick: string, text: string][], label?: string): string[] {
  return [
    `${label ? `@label=${label} ` : ""}:irc.test BATCH +${id} chathistory ${target}`,
    ...entries.map(([msgid, time, nick, text]) => `@batch=${id};time=${time};msgid=${msgid} :${nick}!u@h PRIVMSG ${target} :${text}`),
    `:irc.test BATCH -${id}`,
  ];
}

const at = (minute: number): string => `2026-01-02T09:${String(minute).padStart(2, "0")}:00.000Z`;

function joined(): Fixture {
  const fixture = startSession({ channels: ["#lobby"], historyPage: 3, catchUpPage: 3 });
  register(fixture);
  fixture.take();
  fixture.feed(":alice!u@h JOIN #lobby");
  return fixture;
}

describe("chathistory", () => {
  test("joining asks for the latest messages; the batch is merged in time order", () => {
    const fixture = joined();
    expect(fixture.take()).toEqual(["@label=wc1 CHATHISTORY LATEST #lobby * 3"]);
    expect(fixture.session.buffers.get("#lobby")?.loadingHistory).toBe(true);
    // A live message that arrived before the history answer.
    fixture.feed(`@time=${at(50)};msgid=live :bob!b@h PRIVMSG #lobby :live`);
    fixture.feed(...historyBatch("b1", "#lobby", [["m1", at(10), "bob", "one"], ["m2", at(20), "carol", "two"], ["m3", at(30), "bob", "three"]], "wc1"));
    expect(texts(fixture)).toEqual(["one", "two", "three", "live"]);
    const lobby = fixture.session.buffers.get("#lobby");
    expect(lobby?.loadingHistory).toBe(false);
    expect(lobby?.historyExhausted).toBe(false);
    // Old history is not unread (no read marker says otherwise).
    expect(lobby?.unread).toBe(0);
  });

  test("scrolling to the top asks for the page BEFORE the oldest msgid, merged above without duplicates", () => {
    const fixture = joined();
    fixture.take();
    fixture.feed(...historyBatch("b1", "#lobby", [["m3", at(30), "bob", "three"], ["m4", at(40), "bob", "four"], ["m5", at(45), "bob", "five"]], "wc1"));
    const older: boolean[] = [];
    fixture.session.on("messages", (_key, isOlder) => older.push(isOlder));
    expect(fixture.session.loadOlder("#lobby")).toBe(true);
    expect(fixture.take()).toEqual(["@label=wc2 CHATHISTORY BEFORE #lobby msgid=m3 3"]);
    // Asking again while loading does nothing.
    expect(fixture.session.loadOlder("#lobby")).toBe(false);
    // The server repeats m3 (a duplicate): kept once.
    fixture.feed(...historyBatch("b2", "#lobby", [["m1", at(10), "bob", "one"], ["m2", at(20), "bob", "two"], ["m3", at(30), "bob", "three"]], "wc2"));
    expect(texts(fixture)).toEqual(["one", "two", "three", "four", "five"]);
    expect(older.at(-1)).toBe(true);
  });

  test("older messages go above the oldest shown even when they share its millisecond", () => {
    const fixture = joined();
    fixture.take();
    const same = at(30);
    fixture.feed(...historyBatch("b1", "#lobby", [["m4", same, "bob", "four"], ["m5", same, "bob", "five"], ["m6", same, "bob", "six"]], "wc1"));
    fixture.session.loadOlder("#lobby");
    fixture.feed(...historyBatch("b2", "#lobby", [["m1", same, "bob", "one"], ["m2", same, "bob", "two"], ["m3", same, "bob", "three"]], "wc2"));
    fixture.session.loadOlder("#lobby");
    fixture.feed(...historyBatch("b3", "#lobby", [["m0", same, "bob", "zero"]], "wc3"));
    expect(texts(fixture)).toEqual(["zero", "one", "two", "three", "four", "five", "six"]);
  });

  test("a page shorter than asked for means the beginning: no more requests", () => {
    const fixture = joined();
    fixture.take();
    fixture.feed(...historyBatch("b1", "#lobby", [["m1", at(10), "bob", "one"]], "wc1"));
    const lobby = fixture.session.buffers.get("#lobby");
    expect(lobby?.historyExhausted).toBe(true);
    expect(fixture.session.loadOlder("#lobby")).toBe(false);
    expect(fixture.take()).toEqual([]);
  });

  test("an empty answer and a FAIL end the loading", () => {
    const fixture = joined();
    fixture.take();
    fixture.feed("@label=wc1 :irc.test BATCH +e chathistory #lobby", ":irc.test BATCH -e");
    expect(fixture.session.buffers.get("#lobby")?.historyExhausted).toBe(true);

    const other = startSession({ channels: ["#x"] });
    register(other, "batch draft/chathistory server-time");
    other.feed(":alice!u@h JOIN #x");
    expect(other.take()).toContain("CHATHISTORY LATEST #x * 50");
    other.feed(":irc.test FAIL CHATHISTORY MESSAGE_ERROR LATEST #x :Messages could not be retrieved");
    expect(other.session.buffers.get("#x")?.loadingHistory).toBe(false);
  });

  test("without labels, the batch is matched by its target", () => {
    const fixture = startSession({ channels: ["#a", "#b"] });
    register(fixture, "batch draft/chathistory server-time message-tags");
    fixture.take();
    fixture.feed(":alice!u@h JOIN #a", ":alice!u@h JOIN #b");
    expect(fixture.take()).toEqual(["CHATHISTORY LATEST #a * 50", "CHATHISTORY LATEST #b * 50"]);
    fixture.feed(...historyBatch("x", "#b", [["b1", at(1), "bob", "in b"]]));
    expect(texts(fixture, "#b")).toEqual(["in b"]);
    expect(fixture.session.buffers.get("#a")?.loadingHistory).toBe(true);
    expect(fixture.session.buffers.get("#b")?.loadingHistory).toBe(false);
  });

  test("no history requests without draft/chathistory and batch", () => {
    const fixture = startSession({ channels: ["#lobby"] });
    register(fixture, "server-time");
    fixture.take();
    fixture.feed(":alice!u@h JOIN #lobby");
    expect(fixture.take()).toEqual([]);
    expect(fixture.session.loadOlder("#lobby")).toBe(false);
  });

  test("a private conversation's history lands in its query, our own lines included", () => {
    const fixture = joined();
    fixture.take();
    fixture.session.submit("/query bob");
    expect(fixture.session.loadOlder("bob")).toBe(true);
    expect(fixture.take()).toEqual(["@label=wc2 CHATHISTORY LATEST bob * 3"]);
    fixture.feed(
      "@label=wc2 :irc.test BATCH +q chathistory bob",
      `@batch=q;time=${at(1)};msgid=q1 :bob!b@h PRIVMSG alice :hi alice`,
      `@batch=q;time=${at(2)};msgid=q2 :alice!u@h PRIVMSG bob :hi bob`,
      ":irc.test BATCH -q",
    );
    expect(fixture.session.buffers.get("bob")?.messages.map((m) => `${m.self ? "me" : m.nick}: ${m.text}`)).toEqual(["bob: hi alice", "me: hi bob"]);
  });
});

describe("reconnect", () => {
  function reconnected(): Fixture {
    const fixture = joined();
    fixture.take();
    fixture.feed(...historyBatch("b1", "#lobby", [["m1", at(10), "bob", "one"], ["m2", at(20), "bob", "two"], ["m3", at(30), "bob", "three"]], "wc1"));
    fixture.feed(`@time=${at(31)};msgid=p1 :carol!c@h PRIVMSG alice :private`);
    // A JOIN has a msgid too, but history keeps only messages: the catch-up starts from m3.
    fixture.feed(`@time=${at(32)};msgid=j1 :erin!e@h JOIN #lobby`);
    fixture.session.activate("*");
    fixture.session.disconnected();
    expect(fixture.session.buffers.get("#lobby")?.joined).toBe(false);
    expect(fixture.session.buffers.get("#lobby")?.members.size).toBe(0);
    register(fixture);
    return fixture;
  }

  test("rejoins, and catches up each channel with AFTER its last msgid; queries too; TARGETS for new ones", () => {
    const fixture = reconnected();
    expect(fixture.take()).toEqual([
      "JOIN #lobby",
      "@label=wc2 CHATHISTORY AFTER carol msgid=p1 3",
      "CHATHISTORY TARGETS timestamp=2026-01-02T09:32:00.000Z timestamp=2026-01-03T10:00:00.000Z 50",
    ]);
    fixture.feed(":alice!u@h JOIN #lobby");
    expect(fixture.take()).toEqual(["@label=wc3 CHATHISTORY AFTER #lobby msgid=m3 3"]);
  });

  test("missed messages are merged without duplicates and count as unread; a full page asks for the next", () => {
    const fixture = reconnected();
    fixture.feed(":alice!u@h JOIN #lobby");
    fixture.take();
    // A live message arrives while catching up; the server's answer includes it too.
    fixture.feed(`@time=${at(42)};msgid=m6 :bob!b@h PRIVMSG #lobby :six`);
    fixture.feed(...historyBatch("c1", "#lobby", [["m4", at(40), "bob", "four"], ["m5", at(41), "bob", "five alice"], ["m6", at(42), "bob", "six"]], "wc3"));
    expect(texts(fixture)).toEqual(["one", "two", "three", "four", "five alice", "six"]);
    const lobby = fixture.session.buffers.get("#lobby");
    expect([lobby?.unread, lobby?.mentions]).toEqual([3, 1]);
    expect(fixture.take()).toEqual(["@label=wc4 CHATHISTORY AFTER #lobby msgid=m6 3"]);
    fixture.feed(...historyBatch("c2", "#lobby", [["m7", at(43), "bob", "seven"]], "wc4"));
    expect(texts(fixture).at(-1)).toBe("seven");
    expect(fixture.take()).toEqual([]);
  });

  test("TARGETS names a new private conversation: it opens and gets what was missed", () => {
    const fixture = reconnected();
    fixture.take();
    fixture.feed(
      ":irc.test BATCH +t draft/chathistory-targets",
      "@batch=t :irc.test CHATHISTORY TARGETS #lobby 2026-01-02T09:45:00.000Z",
      "@batch=t :irc.test CHATHISTORY TARGETS dave 2026-01-02T09:44:00.000Z",
      "@batch=t :irc.test CHATHISTORY TARGETS carol 2026-01-02T09:44:00.000Z",
      ":irc.test BATCH -t",
    );
    expect(fixture.session.buffers.get("dave")?.kind).toBe("query");
    expect(fixture.take()).toEqual(["@label=wc3 CHATHISTORY AFTER dave timestamp=2026-01-02T09:32:00.000Z 3"]);
  });
});

describe("read markers", () => {
  test("reading a buffer moves the read marker to its newest message, once for a burst", async () => {
    const fixture = joined();
    fixture.take();
    fixture.feed(`@time=${at(10)};msgid=m1 :bob!b@h PRIVMSG #lobby :one`, `@time=${at(11)};msgid=m2 :bob!b@h PRIVMSG #lobby :two`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(fixture.take()).toEqual(["MARKREAD #lobby timestamp=2026-01-02T09:11:00.000Z"]);
  });
});
