import { describe, expect, test } from "vitest";
import { joinAll, useServer } from "./fixture.js";

const { user, channel: chan } = useServer({ limits: { maxChannelsPerClient: 3 } });

describe("JOIN", () => {
  test("the first to join is operator; joins show to everyone with NAMES", async () => {
    const a = await user("a");
    const b = await user("b");
    const ch = chan();
    a.send(`JOIN ${ch}`);
    await a.expect(new RegExp(`^:${a.nick}!~${a.nick}@127\\.0\\.0\\.1 JOIN ${ch}$`));
    await a.expect(new RegExp(` 353 ${a.nick} = ${ch} :@${a.nick}$`));
    await a.expect(new RegExp(` 366 ${a.nick} ${ch} :End of /NAMES list`));
    b.send(`JOIN ${ch}`);
    await a.expect(new RegExp(`^:${b.nick}!\\S+ JOIN ${ch}$`));
    await b.expect(new RegExp(` 353 ${b.nick} = ${ch} :(@${a.nick} ${b.nick}|${b.nick} @${a.nick})$`));
  });

  test("several channels with keys in one JOIN", async () => {
    const a = await user("a");
    const [c1, c2] = [chan(), chan()];
    a.send(`JOIN ${c1},${c2}`, `MODE ${c1} +k k1`);
    await a.expect(new RegExp(`MODE ${c1} \\+k k1`));
    const b = await user("b");
    b.send(`JOIN ${c1},${c2} k1`);
    await b.expect(new RegExp(`JOIN ${c1}$`));
    await b.expect(new RegExp(`JOIN ${c2}$`));
  });

  test.each([
    ["bad name", "JOIN nohash", / 403 \S+ nohash :No such channel/],
    ["comma-free bell", "JOIN #a\x07b", / 403 /],
    ["no params", "JOIN", / 461 \S+ JOIN :Not enough parameters/],
  ])("%s", async (_name, line, reply) => {
    const a = await user("a");
    a.send(line);
    await a.expect(reply);
  });

  test("+k needs the key (475), +l caps members (471), +i needs an INVITE (473)", async () => {
    const op = await user("op");
    const [keyed, limited, invite] = [chan(), chan(), chan()];
    op.send(`JOIN ${keyed},${limited},${invite}`, `MODE ${keyed} +k sesame`, `MODE ${limited} +l 1`, `MODE ${invite} +i`);
    await op.expect(new RegExp(`MODE ${invite} \\+i`));
    const guest = await user("guest");
    guest.send(`JOIN ${keyed} wrong`);
    await guest.expect(new RegExp(` 475 ${guest.nick} ${keyed} :Cannot join channel \\(\\+k\\)`));
    guest.send(`JOIN ${limited}`);
    await guest.expect(new RegExp(` 471 ${guest.nick} ${limited} :Cannot join channel \\(\\+l\\)`));
    guest.send(`JOIN ${invite}`);
    await guest.expect(new RegExp(` 473 ${guest.nick} ${invite} :Cannot join channel \\(\\+i\\)`));
    op.send(`INVITE ${guest.nick} ${invite}`);
    await op.expect(new RegExp(` 341 ${op.nick} ${guest.nick} ${invite}$`));
    await guest.expect(new RegExp(`^:${op.nick}!\\S+ INVITE ${guest.nick} ${invite}$`));
    guest.send(`JOIN ${invite}`);
    await guest.expect(new RegExp(`JOIN ${invite}$`));
  });

  test("405 past the channel limit", async () => {
    const a = await user("a");
    a.send(`JOIN ${chan()},${chan()},${chan()},${chan()}`);
    await a.expect(/ 405 \S+ #c\d+ :You have joined too many channels/);
  });

  test("JOIN 0 parts every channel", async () => {
    const a = await user("a");
    const [c1, c2] = [chan(), chan()];
    a.send(`JOIN ${c1},${c2}`, "JOIN 0");
    await a.expect(new RegExp(`PART ${c1} :Left all channels`));
    await a.expect(new RegExp(`PART ${c2} :`));
  });
});

describe("PART, KICK, INVITE", () => {
  test("PART is seen by the channel; 442 and 403 on misuse", async () => {
    const a = await user("a");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, a);
    b.send(`JOIN ${ch}`);
    await a.expect(/ JOIN /);
    b.send(`PART ${ch} :see you`);
    await a.expect(new RegExp(`^:${b.nick}!\\S+ PART ${ch} :see you$`));
    b.send(`PART ${ch}`);
    await b.expect(new RegExp(` 442 ${b.nick} ${ch} :You're not on that channel`));
    b.send("PART #nowhere");
    await b.expect(/ 403 \S+ #nowhere :No such channel/);
  });

  test("KICK by an operator removes the member; others get 482, unknown targets 441", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op, b);
    b.send(`KICK ${ch} ${op.nick}`);
    await b.expect(new RegExp(` 482 ${b.nick} ${ch} :You're not channel operator`));
    op.send(`KICK ${ch} nobody`);
    await op.expect(new RegExp(` 441 ${op.nick} nobody ${ch} :`));
    op.send(`KICK ${ch} ${b.nick} :behave`);
    await b.expect(new RegExp(`^:${op.nick}!\\S+ KICK ${ch} ${b.nick} :behave$`));
    await op.expect(new RegExp(`KICK ${ch} ${b.nick} :behave$`));
    b.send(`PRIVMSG ${ch} :still here?`);
    await b.expect(new RegExp(` 404 ${b.nick} ${ch} :Cannot send to channel`));
  });

  test("INVITE errors: 401, 442, 443, 482 on +i", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op);
    op.send(`INVITE ghost ${ch}`);
    await op.expect(/ 401 \S+ ghost :No such nick\/channel/);
    b.send(`INVITE ${op.nick} ${ch}`);
    await b.expect(new RegExp(` 442 ${b.nick} ${ch} `));
    op.send(`INVITE ${op.nick} ${ch}`);
    await op.expect(new RegExp(` 443 ${op.nick} ${op.nick} ${ch} :is already on channel`));
    op.send(`MODE ${ch} +i`, `INVITE ${b.nick} ${ch}`);
    await op.expect(/ 341 /);
    await joinAll(ch, b);
    const c = await user("c");
    b.send(`INVITE ${c.nick} ${ch}`);
    await b.expect(new RegExp(` 482 ${b.nick} ${ch} `));
  });
});

describe("TOPIC", () => {
  test("331 with none, 332/333 after setting, seen by members", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    op.send(`JOIN ${ch}`, `TOPIC ${ch}`);
    await op.expect(new RegExp(` 331 ${op.nick} ${ch} :No topic is set`));
    await joinAll(ch, b);
    op.send(`TOPIC ${ch} :lab notes`);
    await b.expect(new RegExp(`^:${op.nick}!\\S+ TOPIC ${ch} :lab notes$`));
    b.send(`TOPIC ${ch}`);
    await b.expect(new RegExp(` 332 ${b.nick} ${ch} :lab notes$`));
    await b.expect(new RegExp(` 333 ${b.nick} ${ch} ${op.nick}!\\S+ \\d+$`));
    const late = await user("late");
    late.send(`JOIN ${ch}`);
    await late.expect(/ 332 .*:lab notes$/);
  });

  test("+t (the default) stops non-operators (482); -t lets them", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op);
    b.send(`JOIN ${ch}`, `TOPIC ${ch} :mine`);
    await b.expect(new RegExp(` 482 ${b.nick} ${ch} :You're not channel operator`));
    op.send(`MODE ${ch} -t`);
    await b.expect(new RegExp(`MODE ${ch} -t$`));
    b.send(`TOPIC ${ch} :mine`);
    await op.expect(/ TOPIC .* :mine$/);
  });

  test("442 when setting a topic from outside, 403 for a missing channel", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op);
    b.send(`TOPIC ${ch} :x`, "TOPIC #missing");
    await b.expect(new RegExp(` 442 ${b.nick} ${ch} `));
    await b.expect(/ 403 \S+ #missing /);
  });
});

describe("MODE", () => {
  test("channel mode query gives 324 and 329", async () => {
    const op = await user("op");
    const ch = chan();
    op.send(`JOIN ${ch}`, `MODE ${ch}`);
    await op.expect(new RegExp(` 324 ${op.nick} ${ch} \\+nt$`));
    await op.expect(new RegExp(` 329 ${op.nick} ${ch} \\d+$`));
    op.send(`MODE ${ch} +mkl key 5`, `MODE ${ch}`);
    await op.expect(new RegExp(`MODE ${ch} \\+mkl key 5$`));
    await op.expect(new RegExp(` 324 ${op.nick} ${ch} \\+mntkl key 5$`));
  });

  test("+o and +v are seen by the channel; +m silences the unvoiced", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op, b);
    op.send(`MODE ${ch} +m`);
    await b.expect(/ MODE \S+ \+m$/);
    b.send(`PRIVMSG ${ch} :hello?`);
    await b.expect(new RegExp(` 404 ${b.nick} ${ch} `));
    op.send(`MODE ${ch} +v ${b.nick}`);
    await b.expect(new RegExp(`MODE ${ch} \\+v ${b.nick}$`));
    b.send(`PRIVMSG ${ch} :now I can`);
    await op.expect(/ PRIVMSG \S+ :now I can$/);
    op.send(`MODE ${ch} +o ${b.nick}`);
    await b.expect(new RegExp(`MODE ${ch} \\+o ${b.nick}$`));
    b.send(`NAMES ${ch}`);
    await b.expect(new RegExp(` 353 .*@${b.nick}`));
  });

  test.each([
    ["+x", / 472 \S+ x :is unknown mode char to me/],
    ["+o nobody", / 401 \S+ nobody /],
    ["+k", / 461 \S+ MODE /],
  ])("operator errors: MODE %s", async (modes, reply) => {
    const op = await user("op");
    const ch = chan();
    op.send(`JOIN ${ch}`, `MODE ${ch} ${modes}`);
    await op.expect(reply);
  });

  test("482 for non-operators, 403 for missing channels, 441 for non-members", async () => {
    const op = await user("op");
    const b = await user("b");
    const outsider = await user("out");
    const ch = chan();
    await joinAll(ch, op);
    b.send(`JOIN ${ch}`, `MODE ${ch} +m`);
    await b.expect(new RegExp(` 482 ${b.nick} ${ch} `));
    b.send("MODE #nope +m");
    await b.expect(/ 403 \S+ #nope /);
    op.send(`MODE ${ch} +o ${outsider.nick}`);
    await op.expect(new RegExp(` 441 ${op.nick} ${outsider.nick} ${ch} `));
  });

  test("user modes: +i, query 221, 502 for others, 501 unknown", async () => {
    const a = await user("a");
    const b = await user("b");
    a.send(`MODE ${a.nick} +i`);
    await a.expect(new RegExp(`^:${a.nick}!\\S+ MODE ${a.nick} \\+i$`));
    a.send(`MODE ${a.nick}`);
    await a.expect(new RegExp(` 221 ${a.nick} \\+i$`));
    a.send(`MODE ${b.nick} +i`);
    await a.expect(/ 502 /);
    a.send(`MODE ${a.nick} +z`);
    await a.expect(/ 501 /);
    a.send(`MODE ${a.nick} +o`);
    a.send(`MODE ${a.nick}`);
    await a.expect(new RegExp(` 221 ${a.nick} \\+i$`));
  });
});

describe("bans", () => {
  test("+b keeps matching users out (474) and silent (404); the list is 367/368; -b lifts it", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op, b);
    op.send(`MODE ${ch} +b ${b.nick}`);
    await b.expect(new RegExp(`MODE ${ch} \\+b ${b.nick}!\\*@\\*$`));
    b.send(`PRIVMSG ${ch} :can I talk?`);
    await b.expect(new RegExp(` 404 ${b.nick} ${ch} `));
    b.send(`PART ${ch}`, `JOIN ${ch}`);
    await b.expect(new RegExp(` 474 ${b.nick} ${ch} :Cannot join channel \\(\\+b\\)`));
    b.send(`MODE ${ch} +b`);
    await b.expect(new RegExp(` 367 ${b.nick} ${ch} ${b.nick}!\\*@\\* ${op.nick}!\\S+ \\d+$`));
    await b.expect(new RegExp(` 368 ${b.nick} ${ch} :End of channel ban list`));
    op.send(`MODE ${ch} -b ${b.nick}!*@*`);
    await op.expect(new RegExp(`MODE ${ch} -b ${b.nick}!\\*@\\*$`));
    b.send(`JOIN ${ch}`);
    await b.expect(new RegExp(`JOIN ${ch}$`));
  });

  test("host masks match case-insensitively; non-operators cannot set bans", async () => {
    const op = await user("op");
    const b = await user("b");
    const ch = chan();
    await joinAll(ch, op, b);
    b.send(`MODE ${ch} +b *!*@*`);
    await b.expect(/ 368 /);
    b.send(`PRIVMSG ${ch} :still free`);
    await op.expect(/:still free$/);
    op.send(`MODE ${ch} +b *!*${b.nick.toUpperCase()}@127.0.0.*`);
    await op.expect(/ MODE \S+ \+b /);
    b.send(`PRIVMSG ${ch} :muted?`);
    await b.expect(/ 404 /);
  });
});

describe("NAMES and LIST", () => {
  test("LIST gives 321, 322 with counts and topic, 323", async () => {
    const a = await user("a");
    const ch = chan();
    a.send(`JOIN ${ch}`, `TOPIC ${ch} :hi there`, `LIST ${ch}`);
    await a.expect(/ 321 \S+ Channel :Users {2}Name/);
    await a.expect(new RegExp(` 322 ${a.nick} ${ch} 1 :hi there$`));
    await a.expect(/ 323 \S+ :End of \/LIST/);
  });

  test("NAMES hides +i users from outsiders; multi-prefix shows @+", async () => {
    const op = await user("op");
    const hidden = await user("hid");
    const outsider = await user("out", ["multi-prefix"]);
    const ch = chan();
    await joinAll(ch, op);
    hidden.send(`MODE ${hidden.nick} +i`, `JOIN ${ch}`);
    await hidden.expect(/ 366 /);
    outsider.send(`NAMES ${ch}`);
    const names = await outsider.expect(/ 353 /);
    expect(names).toContain(`@${op.nick}`);
    expect(names).not.toContain(hidden.nick);
    op.send(`MODE ${ch} +v ${op.nick}`);
    await op.expect(/ \+v /);
    outsider.send(`JOIN ${ch}`);
    await outsider.expect(new RegExp(` 353 .*@\\+${op.nick}`));
    outsider.send("NAMES #missing");
    await outsider.expect(/ 366 \S+ #missing :End of \/NAMES list/);
  });
});
