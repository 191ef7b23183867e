import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { escapeTagValue, formatMessage, parseMessage, unescapeTagValue, type IrcMessage } from "../src/index.js";

describe("parseMessage", () => {
  test.each<[string, IrcMessage]>([
    ["NICK alice", { command: "NICK", params: ["alice"] }],
    ["privmsg #lab :hello there", { command: "PRIVMSG", params: ["#lab", "hello there"] }],
    [":alice!a@h JOIN #lab", { prefix: "alice!a@h", command: "JOIN", params: ["#lab"] }],
    ["USER a 0 * :Real Name", { command: "USER", params: ["a", "0", "*", "Real Name"] }],
    ["PING  :", { command: "PING", params: [""] }],
    ["PRIVMSG #a ::-)", { command: "PRIVMSG", params: ["#a", ":-)"] }],
    ["MODE #a +kl key 10", { command: "MODE", params: ["#a", "+kl", "key", "10"] }],
    ["  PING   a   b  ", { command: "PING", params: ["a", "b"] }],
    ["@time=2026-01-01T00:00:00.000Z;msgid=x :n!u@h PRIVMSG #a :hi", {
      tags: { time: "2026-01-01T00:00:00.000Z", msgid: "x" }, prefix: "n!u@h", command: "PRIVMSG", params: ["#a", "hi"],
    }],
    ["@+draft/react=\\:)\\s\\\\;flag TAGMSG #a", { tags: { "+draft/react": ";) \\", flag: "" }, command: "TAGMSG", params: ["#a"] }],
    ["@a=b\\ PING x", { tags: { a: "b" }, command: "PING", params: ["x"] }],
    ["001 me :Welcome", { command: "001", params: ["me", "Welcome"] }],
  ])("%j", (line, expected) => {
    expect(parseMessage(line)).toEqual(expected);
  });

  test.each(["", "   ", ":onlyprefix", "@tags-only", "@a=b :prefix"])("rejects %j", (line) => {
    expect(parseMessage(line)).toBeUndefined();
  });
});

describe("formatMessage", () => {
  test.each<[IrcMessage, string]>([
    [{ command: "PRIVMSG", params: ["#a", "hello world"] }, "PRIVMSG #a :hello world"],
    [{ command: "JOIN", params: ["#a"] }, "JOIN #a"],
    [{ command: "TOPIC", params: ["#a", ""] }, "TOPIC #a :"],
    [{ command: "PRIVMSG", params: ["#a", ":)"] }, "PRIVMSG #a ::)"],
    [{ prefix: "s", command: "001", params: ["me", "hi"], tags: { time: "t", "+x": "a b;c" } }, "@time=t;+x=a\\sb\\:c :s 001 me hi"],
  ])("%j", (message, line) => {
    expect(formatMessage(message)).toBe(line);
  });
});

const token = fc.stringMatching(/^[A-Za-z0-9#&!@.*+\-=]{1,12}$/).filter((text) => !text.startsWith(":") && !text.startsWith("@"));
const trailing = fc.string({ maxLength: 40 }).map((text) => text.replace(/[\r\n\0]/g, ""));
const messages = fc.record({
  command: fc.stringMatching(/^[A-Z]{1,10}$/),
  middle: fc.array(token, { maxLength: 5 }),
  last: fc.option(trailing, { nil: undefined }),
  prefix: fc.option(token, { nil: undefined }),
  tags: fc.option(fc.dictionary(fc.stringMatching(/^\+?[a-z][a-z0-9/-]{0,8}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }), { nil: undefined }),
});

describe("properties", () => {
  test("format then parse gives the message back", () => {
    fc.assert(
      fc.property(messages, ({ command, middle, last, prefix, tags }) => {
        const message: IrcMessage = { command, params: last === undefined ? middle : [...middle, last] };
        if (prefix !== undefined) message.prefix = prefix;
        if (tags && Object.keys(tags).length) message.tags = tags;
        expect(parseMessage(formatMessage(message))).toEqual(message);
      }),
    );
  });

  test("tag values survive escaping, and escaped values hold no space, semicolon, CR or LF", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeTagValue(value);
        expect(escaped).not.toMatch(/[ ;\r\n]/);
        expect(unescapeTagValue(escaped)).toBe(value);
      }),
    );
  });

  test("parseMessage never throws and never returns a command with spaces", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (line) => {
        const message = parseMessage(line);
        if (message) expect(message.command).not.toMatch(/\s/);
      }),
    );
  });
});
