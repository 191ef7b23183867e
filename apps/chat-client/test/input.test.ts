import { expect, test } from "vitest";
import { parseInput } from "../src/index.js";

test.each([
  ["hello", { kind: "say", text: "hello" }],
  ["bye", { kind: "quit", reason: "bye" }],
  ["/quit gone home", { kind: "quit", reason: "gone home" }],
  ["/JOIN #lab", { kind: "command", name: "join", args: "#lab" }],
  ["/names", { kind: "command", name: "names", args: "" }],
  ["//etc/hosts is a file", { kind: "say", text: "/etc/hosts is a file" }],
])("%j", (line, expected) => {
  expect(parseInput(line)).toEqual(expected);
});
