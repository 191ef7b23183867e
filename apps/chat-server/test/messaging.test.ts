import { parseMessage } from "@netlab/irc-protocol";
import { describe, expect, test } from "vitest";
import { joinAll, useServer } from "./fixture.js";

const { user, channel } = useServer({ opers: { root: "hunter2" } });

describe("PRIVMSG and NOTICE", () => {
  test("a channel message reaches every other member once, not the sender", async () => {
    const [a, b, c] = [await user("a"), await user("b"), await user("c")];
    const ch = channel();
    await joinAll(ch, a, b, c);
    a.send(`PRIVMSG ${ch} :hello all`);
    for (const peer of [b, c]) await peer.expect(new RegExp(`^:${a.nick}!~${a.nick}@127\\.0\\.0\\.1 PRIVMSG ${ch} :hello all$`));
    expect(await a.sees(/PRIVMSG .*hello all/, 200)).toBe(false);
    b.send(`NOTICE ${ch} :a notice`);
    await a.expect(/ NOTICE #c\d+ :a notice$/);
  });

  test("private messages go to the nick only; several targets separated by commas", async () => {
    const [a, b, c] = [await user("a"), await user("b"), await user("c")];
    a.send(`PRIVMSG ${b.nick},${c.nick} :psst`);
    await b.expect(new RegExp(`^:${a.nick}!\\S+ PRIVMSG ${b.nick} :psst$`));
    await c.expect(new RegExp(`PRIVMSG ${c.nick} :psst$`));
  });

  test.each([
    ["PRIVMSG", / 411 \S+ :No recipient given \(PRIVMSG\)/],
    ["PRIVMSG someone", / 412 \S+ :No text to send/],
    ["PRIVMSG ghost :hi", / 401 \S+ ghost :No such nick\/channel/],
    ["PRIVMSG #ghost :hi", / 403 \S+ #ghost :No such channel/],
    ["PRIVMSG a,b,c,d,e :hi", / 407 /],
  ])("%s", async (line, reply) => {
    const a = await user("a");
    a.send(line);
    await a.expect(reply);
  });

  test("NOTICE errors are silent", async () => {
    const a = await user("a");
    a.send("NOTICE ghost :hi", "NOTICE #ghost :hi", "NOTICE", "PING :done");
    await a.expect(/PONG \S+ :?done/);
    expect(a.lines.some((line) => / 4(0\d|1\d) /.test(line))).toBe(false);
  });

  test("+n (default) keeps outsiders out with 404; -n lets them in", async () => {
    const [op, outsider] = [await user("op"), await user("out")];
    const ch = channel();
    await joinAll(ch, op);
    outsider.send(`PRIVMSG ${ch} :knock`);
    await outsider.expect(new RegExp(` 404 ${outsider.nick} ${ch} :Cannot send to channel`));
    op.send(`MODE ${ch} -n`);
    await op.expect(/ MODE \S+ -n$/);
    outsider.send(`PRIVMSG ${ch} :knock again`);
    await op.expect(/PRIVMSG \S+ :knock again$/);
  });

  test("AWAY: 306/305, 301 to senders, away-notify to peers", async () => {
    const [a, b] = [await user("a"), await user("b", ["away-notify"])];
    const ch = channel();
    await joinAll(ch, a, b);
    a.send("AWAY :lunch");
    await a.expect(/ 306 \S+ :You have been marked as being away/);
    await b.expect(new RegExp(`^:${a.nick}!\\S+ AWAY :lunch$`));
    b.send(`PRIVMSG ${a.nick} :you there?`);
    await b.expect(new RegExp(` 301 ${b.nick} ${a.nick} :lunch$`));
    a.send("AWAY");
    await a.expect(/ 305 \S+ :You are no longer marked as being away/);
    await b.expect(new RegExp(`^:${a.nick}!\\S+ AWAY$`));
  });
});

describe("IRCv3 on messages", () => {
  test("server-time and msgid tags; the same msgid for every receiver and the echo", async () => {
    const a = await user("a", ["server-time", "message-tags", "echo-message"]);
    const b = await user("b", ["server-time", "message-tags"]);
    const plain = await user("p");
    const ch = channel();
    await joinAll(ch, a, b, plain);
    a.send(`PRIVMSG ${ch} :tagged`);
    const echo = await a.expect(/PRIVMSG \S+ :tagged$/);
    const got = await b.expect(/PRIVMSG \S+ :tagged$/);
    const bare = await plain.expect(/PRIVMSG \S+ :tagged$/);
    expect(got).toMatch(/^@msgid=[\w-]+;time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z :/);
    expect(echo.split(" ")[0]).toBe(got.split(" ")[0]);
    expect(bare.startsWith(":")).toBe(true);
  });

  test("client-only tags are relayed to message-tags clients; TAGMSG works", async () => {
    const a = await user("a", ["message-tags"]);
    const b = await user("b", ["message-tags"]);
    const plain = await user("p");
    const ch = channel();
    await joinAll(ch, a, b, plain);
    a.send(`@+draft/react=\\:);+example=a\\sb PRIVMSG ${ch} :with tags`);
    const got = await b.expect(/:with tags$/);
    expect(got).toContain("+draft/react=\\:)");
    expect(got).toContain("+example=a\\sb");
    a.send(`@+typing=active TAGMSG ${ch}`);
    await b.expect(/\+typing=active.* TAGMSG #c\d+$/);
    await plain.expect(/:with tags$/);
    expect(await plain.sees(/TAGMSG/, 200)).toBe(false);
  });

  test("account-tag carries the sender's account once it logs in, and none before", async () => {
    const a = await user("a");
    const b = await user("b", ["account-tag"]);
    const ch = channel();
    await joinAll(ch, a, b);
    a.send(`PRIVMSG ${ch} :anonymous`);
    await b.expect(/^:\S+ PRIVMSG \S+ :anonymous$/);
    a.send("NS REGISTER hunter2");
    await a.expect(/ 900 /);
    a.send(`PRIVMSG ${ch} :with an account`);
    expect(parseMessage(await b.expect(/with an account/))?.tags?.account).toBe(a.nick);
  });
});

describe("NICK changes and QUIT", () => {
  test("a nick change is seen once by each channel peer and by the user", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const [c1, c2] = [channel(), channel()];
    await joinAll(c1, a, b);
    await joinAll(c2, a, b);
    b.skip();
    const newNick = `${a.nick}x`;
    a.send(`NICK ${newNick}`);
    await a.expect(new RegExp(`^:${a.nick}!\\S+ NICK :?${newNick}$`));
    await b.expect(new RegExp(`^:${a.nick}!\\S+ NICK :?${newNick}$`));
    expect(await b.sees(/ NICK /, 200)).toBe(false);
    b.send(`PRIVMSG ${newNick} :found you`);
    await a.expect(/:found you$/);
  });

  test("changing to a nick in use gets 433; only case changes are allowed for one's own", async () => {
    const [a, b] = [await user("a"), await user("b")];
    a.send(`NICK ${b.nick.toUpperCase()}`);
    await a.expect(new RegExp(` 433 ${a.nick} ${b.nick.toUpperCase()} `));
    a.send(`NICK ${a.nick.toUpperCase()}`);
    await a.expect(new RegExp(`NICK :?${a.nick.toUpperCase()}$`));
  });

  test("QUIT: ERROR to the leaver, one QUIT to each peer", async () => {
    const [a, b] = [await user("a"), await user("b")];
    await joinAll(channel(), a, b);
    await joinAll(channel(), a, b);
    b.skip();
    a.send("QUIT :gone fishing");
    await a.expect(/^ERROR :Closing Link: \S+ \(Quit: gone fishing\)$/);
    await b.expect(new RegExp(`^:${a.nick}!\\S+ QUIT :Quit: gone fishing$`));
    expect(await b.sees(/ QUIT /, 200)).toBe(false);
    await a.done;
  });

  test("a dropped connection is a QUIT for the channel", async () => {
    const [a, b] = [await user("a"), await user("b")];
    await joinAll(channel(), a, b);
    a.close();
    await b.expect(new RegExp(`^:${a.nick}!\\S+ QUIT :Connection closed$`));
  });
});

describe("operators", () => {
  test("OPER: 491 for an unknown name, 464 for a wrong password, 381 and +o for the right one", async () => {
    const a = await user("a");
    a.send("OPER nobody x");
    await a.expect(/ 491 \S+ :No O-lines for your host/);
    a.send("OPER root wrong");
    await a.expect(/ 464 \S+ :Password incorrect/);
    a.send("OPER root hunter2");
    await a.expect(/ 381 \S+ :You are now an IRC operator/);
    await a.expect(new RegExp(`MODE ${a.nick} :?\\+o$`));
    a.send("OPER");
    await a.expect(/ 461 \S+ OPER /);
  });

  test("KILL needs operator status (481); it disconnects the target and peers see the QUIT", async () => {
    const [op, victim, peer] = [await user("op"), await user("v"), await user("p")];
    await joinAll(channel(), victim, peer);
    op.send(`KILL ${victim.nick} :spam`);
    await op.expect(/ 481 \S+ :Permission Denied/);
    op.send("OPER root hunter2");
    await op.expect(/ 381 /);
    op.send("KILL ghost :x");
    await op.expect(/ 401 \S+ ghost /);
    op.send(`KILL ${victim.nick} :spam`);
    await victim.expect(new RegExp(`^:${op.nick}!\\S+ KILL ${victim.nick} :spam$`));
    await victim.expect(/^ERROR :Closing Link: \S+ \(Killed/);
    await peer.expect(new RegExp(`^:${victim.nick}!\\S+ QUIT :Killed \\(${op.nick} \\(spam\\)\\)$`));
    await victim.done;
  });
});
