import { parseMessage } from "@netlab/irc-protocol";
import { describe, expect, test } from "vitest";
import { formatIncoming, formatSeconds, formatTimestamp, nickColour } from "../src/index.js";

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
    [":irc.test 332 me #lab :the topic", "09:05:07 --- Topic of #lab: the topic"],
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

describe("numeric replies read as sentences, not raw parameters", () => {
  // A local time, so the expected text is the same in every time zone.
  const signon = Math.floor(new Date(2026, 0, 1, 8, 30, 0).getTime() / 1000);
  const topicSet = Math.floor(new Date(2025, 11, 24, 18, 0, 9).getTime() / 1000);
  test.each([
    // NAMES
    [":irc.test 353 me = #lobby :@bob alice", "--- Users on #lobby: @bob alice"],
    [":irc.test 366 me #lobby :End of /NAMES list.", undefined],
    // WHOIS
    [":irc.test 311 me bob ~bob 127.0.0.1 * :Bob Smith", "--- bob is ~bob@127.0.0.1 (real name: Bob Smith)"],
    [":irc.test 319 me bob :@#lobby #lab", "--- bob is on @#lobby #lab"],
    [":irc.test 312 me bob irc.test :netlab chat", "--- bob is on server irc.test (netlab chat)"],
    [`:irc.test 317 me bob 185 ${signon} :seconds idle, signon time`, "--- bob has been idle 3 min 5 s, signed on 2026-01-01 08:30:00"],
    [":irc.test 330 me bob bobby :is logged in as", "--- bob is logged in as bobby"],
    [":irc.test 301 me bob :gone fishing", "--- bob is away: gone fishing"],
    [":irc.test 313 me bob :is an IRC operator", "--- bob is an IRC operator"],
    [":irc.test 318 me bob :End of /WHOIS list.", undefined],
    // Topic
    [`:irc.test 333 me #lab alice!a@h ${topicSet}`, "--- Topic set by alice on 2025-12-24 18:00:09"],
    [":irc.test 331 me #lab :No topic is set", "--- #lab has no topic"],
    // LIST
    [":irc.test 321 me Channel :Users  Name", "--- Channels (users): topic"],
    [":irc.test 322 me #lab 3 :[+nt] the topic", "--- #lab (3 users): [+nt] the topic"],
    [":irc.test 322 me #quiet 1 :", "--- #quiet (1 user)"],
    [":irc.test 323 me :End of /LIST", "--- End of the channel list"],
    // MOTD
    [":irc.test 375 me :- irc.test Message of the day - ", "--- Message of the day:"],
    [":irc.test 372 me :- Be kind", "--- Be kind"],
    [":irc.test 376 me :End of /MOTD command.", undefined],
    [":irc.test 422 me :MOTD File is missing", "--- There is no message of the day"],
    // Away
    [":irc.test 306 me :You have been marked as being away", "--- You have been marked as being away"],
    [":irc.test 305 me :You are no longer marked as being away", "--- You are no longer marked as being away"],
    // Errors, as sentences that say what they are about
    [":irc.test 401 me nobody :No such nick/channel", "-!- No such nick/channel: nobody"],
    [":irc.test 403 me #nowhere :No such channel", "-!- No such channel: #nowhere"],
    [":irc.test 421 me FROB :Unknown command", "-!- Unknown command: FROB"],
    [":irc.test 432 me bad! :Erroneous nickname", '-!- "bad!" is not a valid nick: Erroneous nickname'],
    [":irc.test 433 me bob :Nickname is already in use", "-!- The nick bob is taken: Nickname is already in use"],
    [":irc.test 482 me #lab :You're not channel operator", "-!- You're not channel operator: #lab"],
    // Registration
    [":irc.test 004 me irc.test netlab-chat-server-1.2.3 Biow imnpst", "--- irc.test runs netlab-chat-server-1.2.3"],
    [":irc.test 005 me CHANTYPES=#& NICKLEN=30 :are supported by this server", undefined],
    [":irc.test 252 me 2 :operator(s) online", "--- 2 operator(s) online"],
    ["FAIL CHATHISTORY INVALID_TARGET #x :Messages could not be retrieved", "-!- CHATHISTORY: Messages could not be retrieved"],
  ])("%j", (line, expected) => {
    expect(show(line)).toBe(expected === undefined ? undefined : `09:05:07 ${expected}`);
  });

  test.each([
    [0, "0 s"],
    [5, "5 s"],
    [185, "3 min 5 s"],
    [3_600, "1 h"],
    [90_061, "1 d 1 h 1 min 1 s"],
  ])("formatSeconds(%d) is %j", (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  test("formatTimestamp: a Unix time as a local date and time; other text as given", () => {
    expect(formatTimestamp(Math.floor(new Date(2026, 6, 4, 23, 59, 58).getTime() / 1000))).toBe("2026-07-04 23:59:58");
    expect(formatTimestamp("soon")).toBe("soon");
  });
});
