import { expect, test } from "vitest";
import { parseMessage } from "../src/index.js";

test.each([
  ["NICK alice", { command: "NICK", params: ["alice"] }],
  ["privmsg #lab :hello there", { command: "PRIVMSG", params: ["#lab", "hello there"] }],
  [":alice!a@h JOIN #lab", { prefix: "alice!a@h", command: "JOIN", params: ["#lab"] }],
  ["USER a 0 * :Real Name", { command: "USER", params: ["a", "0", "*", "Real Name"] }],
  ["PING  :", { command: "PING", params: [""] }],
])("%s", (line, expected) => {
  expect(parseMessage(line)).toEqual(expected);
});

test.each(["", "   ", ":onlyprefix"])("rejects %j", (line) => {
  expect(parseMessage(line)).toBeUndefined();
});
