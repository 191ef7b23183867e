import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LineReader, TokenBucket, foldCase, isValidChannel, isValidNick } from "../src/index.js";

function readAll(reader: LineReader, chunks: Buffer[]): (string | "TOO LONG")[] {
  const out: (string | "TOO LONG")[] = [];
  for (const chunk of chunks) reader.push(chunk, (event) => out.push("tooLong" in event ? "TOO LONG" : event.line.toString()));
  return out;
}

describe("LineReader", () => {
  test.each([
    [["a\r\nb\r\n"], ["a", "b"]],
    [["a\nb\rc\r\n"], ["a", "b", "c"]],
    [["ab", "c\r", "\nd\n"], ["abc", "d"]],
    [["\r\n\r\n\n"], []],
    [["12345678901\r\nok\r\n"], ["TOO LONG", "ok"]],
    [["123456", "789012", "345\nok\n"], ["TOO LONG", "ok"]],
  ])("%j", (chunks, expected) => {
    expect(readAll(new LineReader(10), chunks.map((chunk) => Buffer.from(chunk)))).toEqual(expected);
  });

  test("however the bytes are split, the lines are the same", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z ]{1,8}$/), { maxLength: 10 }), fc.array(fc.nat(20), { maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((line) => line + "\r\n").join(""));
        const chunks: Buffer[] = [];
        let at = 0;
        for (const cut of cuts) {
          chunks.push(bytes.subarray(at, Math.min(bytes.length, at + cut)));
          at = Math.min(bytes.length, at + cut);
        }
        chunks.push(bytes.subarray(at));
        expect(readAll(new LineReader(64), chunks)).toEqual(lines);
      }),
    );
  });
});

describe("names", () => {
  test.each([
    ["alice", true],
    ["[bot]", true],
    ["a-1_`^{}|\\", true],
    ["1abc", false],
    ["-abc", false],
    ["a b", false],
    ["a,b", false],
    ["", false],
    ["a".repeat(30), true],
    ["a".repeat(31), false],
  ])("nick %j valid: %s", (nick, valid) => {
    expect(isValidNick(nick)).toBe(valid);
  });

  test.each([
    ["#lab", true],
    ["&local", true],
    ["#", false],
    ["lab", false],
    ["#a,b", false],
    ["#a b", false],
    ["#a\x07", false],
    ["#" + "c".repeat(49), true],
    ["#" + "c".repeat(50), false],
  ])("channel %j valid: %s", (name, valid) => {
    expect(isValidChannel(name)).toBe(valid);
  });

  test.each([
    ["Alice", "alice"],
    ["[A]\\^", "{a}|~"],
    ["#Lab", "#lab"],
  ])("foldCase(%j) = %j", (name, folded) => {
    expect(foldCase(name)).toBe(folded);
  });
});

describe("TokenBucket", () => {
  test("a burst, then the rate; rate 0 is unlimited", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.waitMs(0)).toBe(500);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    const free = new TokenBucket(1, 0, 0);
    expect(Array.from({ length: 100 }, () => free.take(0)).every(Boolean)).toBe(true);
  });
});
