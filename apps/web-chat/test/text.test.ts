import { describe, expect, test } from "vitest";
import { foldName } from "../src/casemap.js";
import { dayKey, dayLabel, formatClock } from "../src/clock.js";
import { formatCtcp, parseCtcp } from "../src/ctcp.js";
import { parseTypedLine } from "../src/input-commands.js";
import { InputHistory } from "../src/input-history.js";
import { stripFormatting } from "../src/irc-formatting.js";
import { nickHue } from "../src/nick-hue.js";
import { saslPlainParams } from "../src/sasl.js";

describe("stripFormatting", () => {
  test.each([
    ["\x02bold\x02 and \x1ditalic\x1d", "bold and italic"],
    ["\x0304,12red on blue\x03 plain", "red on blue plain"],
    ["\x034red\x0f reset", "red reset"],
    ["\x04ff0000hex\x04", "hex"],
    ["a\x07bell\x00nul", "abellnul"],
    ["tab\tstays", "tab\tstays"],
    ["5\x03,5 comma after a bare colour code stays", "5,5 comma after a bare colour code stays"],
  ])("%j", (text, plain) => {
    expect(stripFormatting(text)).toBe(plain);
  });
});

describe("parseCtcp", () => {
  test.each([
    ["\x01ACTION waves\x01", { command: "ACTION", text: "waves" }],
    ["\x01ACTION waves", { command: "ACTION", text: "waves" }],
    ["\x01VERSION\x01", { command: "VERSION", text: "" }],
    ["plain", undefined],
    ["\x01", undefined],
  ])("%j", (body, ctcp) => {
    expect(parseCtcp(body)).toEqual(ctcp);
  });

  test("formatCtcp is its inverse", () => {
    expect(parseCtcp(formatCtcp("ACTION", "dances"))).toEqual({ command: "ACTION", text: "dances" });
  });
});

describe("foldName", () => {
  test.each([
    ["Alice[]\\~", "rfc1459", "alice{}|^"],
    ["Alice[]\\~", "strict-rfc1459", "alice{}|~"],
    ["Alice[]\\~", "ascii", "alice[]\\~"],
    ["ÉCOLE", "rfc1459", "École".replace("É", "É")],
  ])("%j with %s", (name, casemapping, folded) => {
    expect(foldName(name, casemapping)).toBe(folded);
  });
});

describe("clock", () => {
  test("HH:MM and the local day", () => {
    const time = new Date(2026, 0, 2, 9, 5, 7).getTime();
    expect(formatClock(time)).toBe("09:05");
    expect(dayKey(time)).toBe("2026-01-02");
    expect(dayLabel(time, new Date(2026, 0, 2, 23, 0).getTime())).toBe("Today");
    expect(dayLabel(time, new Date(2026, 0, 3, 1, 0).getTime())).toBe("Yesterday");
    expect(dayLabel(time, new Date(2026, 0, 9).getTime())).toMatch(/2026/);
  });
});

describe("parseTypedLine", () => {
  test.each([
    ["hello", { kind: "say", text: "hello" }],
    ["/join #a", { kind: "command", name: "join", args: "#a" }],
    ["/ME  waves ", { kind: "command", name: "me", args: "waves" }],
    ["/quit", { kind: "command", name: "quit", args: "" }],
    ["//slash", { kind: "say", text: "/slash" }],
  ])("%j", (line, typed) => {
    expect(parseTypedLine(line)).toEqual(typed);
  });
});

describe("InputHistory", () => {
  test("Up goes back through what was sent, Down forward to the unsent draft", () => {
    const history = new InputHistory();
    history.add("one");
    history.add("two");
    expect(history.previous("dra")).toBe("two");
    expect(history.previous("two")).toBe("one");
    expect(history.previous("one")).toBeUndefined();
    expect(history.next()).toBe("two");
    expect(history.next()).toBe("dra");
    expect(history.next()).toBeUndefined();
  });
});

describe("saslPlainParams", () => {
  test("short: one piece", () => {
    expect(saslPlainParams("a", "b")).toEqual([btoa("\0a\0b")]);
  });

  test("long: pieces of 400 and a + after a last piece of exactly 400", () => {
    // 3 + 298 bytes -> 300 bytes of input -> exactly 400 base64 characters.
    const pieces = saslPlainParams("a", "p".repeat(297));
    expect(pieces.map((piece) => piece.length)).toEqual([400, 1]);
    expect(pieces[1]).toBe("+");
    expect(saslPlainParams("a", "p".repeat(400)).map((piece) => piece.length)).toEqual([400, 140]);
  });
});

describe("nickHue", () => {
  test("the same nick has the same hue, in 0-359, whatever its case", () => {
    expect(nickHue("Bob")).toBe(nickHue("bob"));
    for (const nick of ["a", "bob", "Zoë", "[x]"]) expect(nickHue(nick)).toBeGreaterThanOrEqual(0);
    expect(new Set(["alice", "bob", "carol", "dave", "erin"].map(nickHue)).size).toBeGreaterThan(3);
  });
});
