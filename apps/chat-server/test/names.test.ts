import { describe, expect, test } from "vitest";
import { foldCase, isValidChannel, isValidNick } from "../src/index.js";
import { TokenBucket } from "../src/token-bucket.js";

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
