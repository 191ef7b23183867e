import { parseMessage } from "@netlab/irc-protocol";
import { describe, expect, test } from "vitest";
import { formatIncoming, nickColour } from "../src/index.js";

const now = new Date(2026, 0, 1, 9, 5, 7);
const show = (line: string): string | undefined => {
  const message = parseMessage(line);
  if (!message) throw new Error(line);
  return formatIncoming(message, "me", { colour: false, now });
};

describe("formatIncoming", () => {
  test.each([
    [":bob!b@h PRIVMSG #lab :hello", "09:05:07 #lab <bob> hello"],
    [":bob!b@h PRIVMSG me :psst", "09:05:07 *bob* psst"],
    [":bob!b@h PRIVMSG #lab :\x01ACTION waves\x01", "09:05:07 #lab * bob waves"],
    [":bob!b@h JOIN #lab", "09:05:07 --> bob joined #lab"],
    [":bob!b@h PART #lab :later", "09:05:07 <-- bob left #lab (later)"],
    [":bob!b@h QUIT :Quit: bye", "09:05:07 <-- bob quit (Quit: bye)"],
    [":bob!b@h NICK robert", "09:05:07 --- bob is now robert"],
    [":op!o@h KICK #lab bob :spam", "09:05:07 <-- bob was kicked from #lab by op (spam)"],
    [":bob!b@h TOPIC #lab :news", "09:05:07 --- bob set the topic of #lab: news"],
    [":irc.test 332 me #lab :the topic", "09:05:07 --- #lab the topic"],
    [":bob!b@h PRIVMSG #lab :evil\x1b[2Jclear", "09:05:07 #lab <bob> evil[2Jclear"],
  ])("%j", (line, expected) => {
    expect(show(line)).toBe(expected);
  });

  test("server-time wins over the local clock", () => {
    const message = parseMessage("@time=2026-01-01T08:00:00.000Z :bob!b@h PRIVMSG #lab :x");
    if (!message) throw new Error("parse");
    expect(formatIncoming(message, "me", { colour: false, now })).toContain(new Date("2026-01-01T08:00:00.000Z").toTimeString().slice(0, 8));
  });

  test.each(["PING :x", ":s PONG s :x", ":bob!b@h PRIVMSG #lab :\x01VERSION\x01"])("hides %j", (line) => {
    expect(show(line)).toBeUndefined();
  });

  test("the same nick always gets the same colour", () => {
    expect(nickColour("alice")).toBe(nickColour("alice"));
    const message = parseMessage(":alice!a@h PRIVMSG #lab :hi");
    if (!message) throw new Error("parse");
    expect(formatIncoming(message, "me", { colour: true, now })).toContain(`\x1b[${nickColour("alice")}malice\x1b[0m`);
  });
});
