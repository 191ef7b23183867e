import { describe, expect, test } from "vitest";
import { commandAction, nickProblem, parseInput, splitUtf8 } from "../src/index.js";

describe("parseInput", () => {
  test.each([
    ["hello", { kind: "say", text: "hello" }],
    ["bye", { kind: "quit", reason: "bye" }],
    ["  bye ", { kind: "quit", reason: "bye" }],
    ["/quit see you", { kind: "quit", reason: "see you" }],
    ["/JOIN #lab", { kind: "command", name: "join", args: "#lab" }],
    ["//not a command", { kind: "say", text: "/not a command" }],
  ])("%j", (line, expected) => {
    expect(parseInput(line)).toEqual(expected);
  });
});

describe("commandAction", () => {
  test.each([
    ["join", "#lab", undefined, { send: ["JOIN", "#lab"], channel: "#lab" }],
    ["join", "#lab key", undefined, { send: ["JOIN", "#lab", "key"], channel: "#lab" }],
    ["part", "", "#lab", { send: ["PART", "#lab"] }],
    ["part", "#other bye now", "#lab", { send: ["PART", "#other", "bye now"] }],
    ["msg", "bob hi there", "#lab", { send: ["PRIVMSG", "bob", "hi there"] }],
    ["me", "waves", "#lab", { send: ["PRIVMSG", "#lab", "\x01ACTION waves\x01"] }],
    ["nick", "carol", "#lab", { send: ["NICK", "carol"] }],
    ["names", "", "#lab", { send: ["NAMES", "#lab"] }],
    ["topic", "new topic", "#lab", { send: ["TOPIC", "#lab", "new topic"] }],
    ["topic", "", "#lab", { send: ["TOPIC", "#lab"] }],
    ["whois", "bob", "#lab", { send: ["WHOIS", "bob"] }],
    ["list", "", "#lab", { send: ["LIST"] }],
    ["away", "lunch", "#lab", { send: ["AWAY", "lunch"] }],
    ["away", "", "#lab", { send: ["AWAY"] }],
  ])("/%s %s", (name, args, current, expected) => {
    expect(commandAction(name, args, current)).toEqual(expected);
  });

  test.each([
    ["msg", "bob"],
    ["join", ""],
    ["me", "x"],
    ["frob", ""],
  ])("/%s %s gives a note", (name, args) => {
    expect(commandAction(name, args, name === "me" ? undefined : "#lab")).toHaveProperty("note");
  });
});

describe("nickProblem", () => {
  test.each(["alice", "a1", "[away]", "x-y_z", "`^{|}\\"])("%j is a nick", (nick) => {
    expect(nickProblem(nick)).toBeUndefined();
  });

  test.each([
    ["bad nick!", 'a nick cannot contain a space or "!" (only letters, digits and - [ ] \\ ` _ ^ { | })'],
    ["9lives", "a nick cannot start with a digit or -"],
    ["-dash", "a nick cannot start with a digit or -"],
    ["caf\u00e9", 'a nick cannot contain "\u00e9" (only letters, digits and - [ ] \\ ` _ ^ { | })'],
    ["", "a nick cannot be empty"],
  ])("%j: %s", (nick, problem) => {
    expect(nickProblem(nick)).toBe(problem);
  });

  test("/nick with an invalid nick is a note, never sent", () => {
    expect(commandAction("nick", "bad!", "#lab")).toEqual({ note: 'invalid nick "bad!": a nick cannot contain "!" (only letters, digits and - [ ] \\ ` _ ^ { | })' });
  });
});

describe("splitUtf8", () => {
  const bytes = (text: string): number => Buffer.byteLength(text);

  test("text that fits is one piece", () => {
    expect(splitUtf8("hello", 5)).toEqual(["hello"]);
  });

  test.each([
    ["ascii without spaces", "x".repeat(2_000)],
    ["two-byte characters", "\u00e9".repeat(1_000)],
    ["emoji (4 bytes) after an odd byte", "a" + "\u{1f600}".repeat(500)],
    ["an emoji with a skin tone and a ZWJ family", "ok \u{1f44d}\u{1f3fd} ".repeat(100) + "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}".repeat(40)],
    ["words", "lorem ipsum dolor sit amet ".repeat(80)],
  ])("%s: pieces within the limit, whole characters, joined back to the text", (_, text) => {
    const pieces = splitUtf8(text, 400);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(text);
    for (const piece of pieces) {
      expect(bytes(piece)).toBeLessThanOrEqual(400);
      // Whole characters: no lone surrogate, and the UTF-8 round trip changes nothing.
      expect(Buffer.from(piece, "utf8").toString("utf8")).toBe(piece);
      expect(piece).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });

  test("words are not cut when a space is near the end of a piece", () => {
    const pieces = splitUtf8("lorem ipsum dolor sit amet ".repeat(80), 400);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith(" ")).toBe(true);
  });

  test("graphemes stay whole: a flag is never split between its two letters", () => {
    const flags = "\u{1f1eb}\u{1f1f7}".repeat(60);
    for (const piece of splitUtf8(flags, 30)) expect([...piece].length % 2).toBe(0);
  });
});
