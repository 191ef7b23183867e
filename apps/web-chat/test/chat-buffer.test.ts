import { describe, expect, test } from "vitest";
import { ChatBuffer, maxBufferMessages, type ChatMessage } from "../src/chat-buffer.js";
import { applyPrefixChange, prefixChanges } from "../src/mode-changes.js";
import { sortMembers } from "../src/nick-list-view.js";
import { applyIsupport, defaultSupport } from "../src/server-support.js";

let seq = 0;
const message = (id: string, time: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  msgid: id,
  time,
  seq: ++seq,
  kind: "privmsg",
  nick: "bob",
  text: id,
  self: false,
  mention: false,
  ...extra,
});

describe("ChatBuffer", () => {
  test("keeps messages in time order, each id once, arrival order for equal times", () => {
    const buffer = new ChatBuffer("#a", "#a", "channel");
    buffer.add([message("c", 30), message("a", 10)]);
    buffer.add([message("b", 20), message("a", 10), message("d", 30)]);
    expect(buffer.messages.map((m) => m.id)).toEqual(["a", "b", "c", "d"]);
    expect(buffer.oldestInHistory()?.id).toBe("a");
    expect(buffer.newestInHistory()?.id).toBe("d");
  });

  test("keeps at most maxBufferMessages, dropping the oldest (which history can fetch again)", () => {
    const buffer = new ChatBuffer("#a", "#a", "channel");
    buffer.historyExhausted = true;
    buffer.add(Array.from({ length: maxBufferMessages + 5 }, (_, i) => message(`m${i}`, i)));
    expect(buffer.messages).toHaveLength(maxBufferMessages);
    expect(buffer.messages[0]?.id).toBe("m5");
    expect(buffer.has("m0")).toBe(false);
    expect(buffer.historyExhausted).toBe(false);
  });

  test("recount: talk by others after the read marker", () => {
    const buffer = new ChatBuffer("#a", "#a", "channel");
    buffer.add([message("a", 10), message("b", 20, { mention: true }), message("c", 30, { self: true }), message("d", 40, { kind: "join" })]);
    buffer.readMarker = 10;
    buffer.recount();
    expect([buffer.unread, buffer.mentions]).toEqual([1, 1]);
  });
});

describe("modes and members", () => {
  const support = defaultSupport();
  applyIsupport(support, ["PREFIX=(qaohv)~&@%+", "CHANMODES=beI,k,l,imnst"]);

  test("prefixChanges skips the arguments of list, key and limit modes", () => {
    expect(prefixChanges("+bkoq-lv", ["*!*@x", "key", "bob", "carol", "dave"], support)).toEqual([
      { adding: true, symbol: "@", nick: "bob" },
      { adding: true, symbol: "~", nick: "carol" },
      { adding: false, symbol: "+", nick: "dave" },
    ]);
  });

  test("applyPrefixChange keeps the highest first", () => {
    expect(applyPrefixChange("+", { adding: true, symbol: "@", nick: "x" }, support.prefixSymbols)).toBe("@+");
    expect(applyPrefixChange("@+", { adding: false, symbol: "@", nick: "x" }, support.prefixSymbols)).toBe("+");
    expect(applyPrefixChange("@", { adding: true, symbol: "@", nick: "x" }, support.prefixSymbols)).toBe("@");
  });

  test("sortMembers: by highest prefix, then by nick", () => {
    const members = [
      { nick: "zed", prefixes: "", away: false },
      { nick: "Amy", prefixes: "+", away: false },
      { nick: "bob", prefixes: "@", away: false },
      { nick: "al", prefixes: "", away: false },
      { nick: "cy", prefixes: "~@", away: false },
    ];
    expect(sortMembers(members, support.prefixSymbols).map((m) => m.nick)).toEqual(["cy", "bob", "Amy", "al", "zed"]);
  });
});
