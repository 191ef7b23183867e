import { describe, expect, test } from "vitest";
import { joinAll, useServer } from "./fixture.js";

const { user, channel } = useServer({ opers: { root: "pw" } });

describe("WHO", () => {
  test("a channel gives one 352 per member, then 315", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const ch = channel();
    await joinAll(ch, a, b);
    b.send("AWAY :out");
    await b.expect(/ 306 /);
    a.send(`WHO ${ch}`);
    await a.expect(new RegExp(` 352 ${a.nick} ${ch} ~${a.nick} 127\\.0\\.0\\.1 irc\\.test ${a.nick} H@ :0 ${a.nick} Real$`));
    await a.expect(new RegExp(` 352 ${a.nick} ${ch} ~${b.nick} 127\\.0\\.0\\.1 irc\\.test ${b.nick} G :0 ${b.nick} Real$`));
    await a.expect(new RegExp(` 315 ${a.nick} ${ch} :End of /WHO list`));
  });

  test("a nick mask finds visible users; +i users only when sharing a channel (an exact nick finds them)", async () => {
    const [a, hidden] = [await user("a"), await user("hid")];
    hidden.send(`MODE ${hidden.nick} +i`);
    await hidden.expect(/ MODE /);
    a.send(`WHO ${hidden.nick}*`);
    await a.expect(/ 315 /);
    expect(a.lines.some((line) => line.includes(` 352 `) && line.includes(hidden.nick))).toBe(false);
    a.send(`WHO ${hidden.nick}`);
    await a.expect(new RegExp(` 352 ${a.nick} \\* ~${hidden.nick} `));
    a.send(`WHO ${a.nick.slice(0, 1)}*`);
    await a.expect(new RegExp(` 352 ${a.nick} \\* ~${a.nick} `));
  });
});

describe("WHOIS", () => {
  test("311, 319, 312, 313, 301, 317, 318", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const ch = channel();
    await joinAll(ch, b);
    b.send("OPER root pw", "AWAY :busy");
    await b.expect(/ 306 /);
    a.send(`WHOIS ${b.nick}`);
    await a.expect(new RegExp(` 311 ${a.nick} ${b.nick} ~${b.nick} 127\\.0\\.0\\.1 \\* :${b.nick} Real$`));
    await a.expect(new RegExp(` 319 ${a.nick} ${b.nick} :@${ch}$`));
    await a.expect(new RegExp(` 312 ${a.nick} ${b.nick} irc\\.test :`));
    await a.expect(new RegExp(` 313 ${a.nick} ${b.nick} :is an IRC operator`));
    await a.expect(new RegExp(` 301 ${a.nick} ${b.nick} :busy$`));
    await a.expect(new RegExp(` 317 ${a.nick} ${b.nick} \\d+ \\d+ :seconds idle, signon time`));
    await a.expect(new RegExp(` 318 ${a.nick} ${b.nick} :End of /WHOIS list`));
  });

  test("401 then 318 for an unknown nick; 431 with none", async () => {
    const a = await user("a");
    a.send("WHOIS ghost");
    await a.expect(/ 401 \S+ ghost :No such nick\/channel/);
    await a.expect(/ 318 \S+ ghost :End of \/WHOIS list/);
    a.send("WHOIS");
    await a.expect(/ 431 /);
  });
});

describe("WHOWAS", () => {
  test("314/312/369 for a nick that left or changed; 406 for one never seen", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const old = b.nick;
    b.send(`NICK ${old}z`);
    await b.expect(/ NICK /);
    a.send(`WHOWAS ${old}`);
    await a.expect(new RegExp(` 314 ${a.nick} ${old} ~${old} 127\\.0\\.0\\.1 \\* :${old} Real$`));
    await a.expect(new RegExp(` 312 ${a.nick} ${old} irc\\.test :`));
    await a.expect(new RegExp(` 369 ${a.nick} ${old} :End of WHOWAS`));
    a.send("WHOWAS neverseen");
    await a.expect(/ 406 \S+ neverseen :There was no such nickname/);
    await a.expect(/ 369 \S+ neverseen /);
  });
});

describe("ISON, USERHOST, LUSERS, MOTD, VERSION", () => {
  test("ISON lists the nicks that are on, as the server spells them", async () => {
    const [a, b] = [await user("a"), await user("b")];
    a.send(`ISON ghost ${b.nick.toUpperCase()} ${a.nick}`);
    await a.expect(new RegExp(` 303 ${a.nick} :${b.nick} ${a.nick}$`));
  });

  test("USERHOST marks operators with * and away users with -", async () => {
    const [a, b] = [await user("a"), await user("b")];
    b.send("OPER root pw", "AWAY :x");
    await b.expect(/ 306 /);
    a.send(`USERHOST ${a.nick} ${b.nick} ghost`);
    await a.expect(new RegExp(` 302 ${a.nick} :${a.nick}=\\+~${a.nick}@127\\.0\\.0\\.1 ${b.nick}\\*=-~${b.nick}@127\\.0\\.0\\.1$`));
  });

  test.each([
    ["LUSERS", / 251 \S+ :There are \d+ users and \d+ invisible on 1 servers/],
    ["LUSERS", / 254 \S+ \d+ :channels formed/],
    ["MOTD", / 422 /],
    ["VERSION", / 351 \S+ netlab-chat-server/],
    ["ISON", / 461 \S+ ISON /],
    ["USERHOST", / 461 /],
    ["KICK #x", / 461 \S+ KICK /],
    ["INVITE x", / 461 /],
    ["TOPIC", / 461 /],
    ["PART", / 461 /],
    ["MODE", / 461 /],
    ["KILL x", / 461 /],
  ])("%s", async (line, reply) => {
    const a = await user("a");
    a.skip();
    a.send(line);
    await a.expect(reply);
  });
});
