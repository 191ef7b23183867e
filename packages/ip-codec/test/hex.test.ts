import { describe, expect, test } from "vitest";
import { toHex } from "../src/index.js";

describe("toHex", () => {
  test.each([
    [[127, 0, 0, 1], "7f000001"],
    [[192, 168, 0, 1], "c0a80001"],
    [[0, 0, 0, 0], "00000000"],
    [[255, 255, 255, 255], "ffffffff"],
  ])("%j -> %s", (bytes, hex) => {
    expect(toHex(Uint8Array.from(bytes))).toBe(hex);
  });
});
