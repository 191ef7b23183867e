import fc from "fast-check";
import { expect, test } from "vitest";
import { parseDuration, parsePort, UsageError } from "../src/index.js";

test.each([
  ["500", 500],
  ["500ms", 500],
  ["10s", 10_000],
  ["1.5s", 1500],
  ["2m", 120_000],
  ["1h", 3_600_000],
  ["30d", 2_592_000_000],
  [" 0 ", 0],
  [250, 250],
] as const)("parseDuration(%j) = %d ms", (input, ms) => {
  expect(parseDuration(input)).toBe(ms);
});

test.each(["", "ten", "-1s", "5 days", "1e3", "s", -5, Number.NaN])("parseDuration(%j) throws a UsageError", (input) => {
  expect(() => parseDuration(input)).toThrow(UsageError);
  expect(() => parseDuration(input)).toThrow(/^invalid duration /);
});

test("any whole number of seconds round-trips", () => {
  fc.assert(fc.property(fc.nat({ max: 1_000_000 }), (n) => {
      expect(parseDuration(`${n}s`)).toBe(n * 1000);
    }));
});

test.each([
  ["0", 0],
  ["9900", 9900],
  [65535, 65535],
])("parsePort(%j) = %d", (input, port) => {
  expect(parsePort(input)).toBe(port);
});

test.each(["x", "", "-1", "65536", "1.5", 70_000, Number.NaN])("parsePort(%j) throws a UsageError", (input) => {
  expect(() => parsePort(input)).toThrow(UsageError);
  expect(() => parsePort(input)).toThrow(/invalid port/);
});
