import { describe, expect, test } from "vitest";
import { commandAction, parseInput } from "../src/index.js";

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
