import { describe, expect, test } from "vitest";
import { byteLength, maxUserhostBytes, messageRoom, splitText } from "../src/line-split.js";

describe("messageRoom", () => {
  test("what is left of 510 bytes once the relayed prefix is counted (63 bytes of user@host, as irssi)", () => {
    // ":alice!" + 63 + " PRIVMSG #lobby :"
    expect(messageRoom("alice", "PRIVMSG", "#lobby")).toBe(510 - 7 - maxUserhostBytes - 17);
    expect(messageRoom("alice", "PRIVMSG", "#lobby", true)).toBe(510 - 7 - maxUserhostBytes - 17 - 9);
  });
});

describe("splitText", () => {
  test.each([
    ["short", 10, ["short"]],
    ["", 10, [""]],
    ["aaaa bbbb cccc", 9, ["aaaa bbbb", "cccc"]],
    ["aaaaaaaaaaaa", 5, ["aaaaa", "aaaaa", "aa"]],
    // A space in the first half of a piece is no place to break: the word is cut.
    ["a bbbbbbbbbbbb", 6, ["a bbbb", "bbbbbb", "bb"]],
    // Never inside a character: é is 2 bytes, 😀 is 4 (a surrogate pair in JavaScript).
    ["ééé", 5, ["éé", "é"]],
    ["😀😀", 5, ["😀", "😀"]],
  ])("%j in pieces of %i bytes", (text, max, pieces) => {
    expect(splitText(text, max)).toEqual(pieces);
  });

  test("every piece fits, and nothing is lost but the spaces broken at", () => {
    const text = "Ünïcödé words and a verylongwordthatkeepsgoingandgoing ".repeat(40);
    const pieces = splitText(text, 100);
    for (const piece of pieces) expect(byteLength(piece)).toBeLessThanOrEqual(100);
    expect(pieces.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });
});

describe("byteLength", () => {
  test.each([
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["😀", 4],
  ])("%j is %i bytes", (text, bytes) => {
    expect(byteLength(text)).toBe(bytes);
    expect(byteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});
