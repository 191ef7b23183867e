import { describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import { joinAll, useServer } from "./fixture.js";
import type { RawClient } from "./raw-client.js";

const { user, channel } = useServer({ opers: { root: "pw" } });
const cluster = useCluster(2);

/** Sends a WHO and returns the parameters (after the asker's nick) of each 352/354 before its 315, those lines, and the 315's parameters. */
async function who(client: RawClient, line: string): Promise<{ replies: string[][]; lines: string[]; end: string[] }> {
  const start = client.lines.length;
  client.skip();
  client.send(line);
  await client.expect(/ 315 /);
  const replies: string[][] = [];
  const lines: string[] = [];
  for (const raw of client.lines.slice(start)) {
    const message = parseMessage(raw);
    if (message?.command === "352" || message?.command === "354") {
      replies.push(message.params.slice(1));
      lines.push(raw);
    }
    if (message?.command === "315") return { replies, lines, end: message.params.slice(1) };
  }
  throw new Error("no 315");
}

/** The nicks a WHO lists (352: sixth parameter; WHOX asked with %n: the only one). */
const nicks = (replies: string[][]): string[] => replies.map((params) => (params.length === 1 ? (params[0] ?? "") : (params[4] ?? ""))).sort();

async function setMode(client: RawClient & { nick: string }, modes: string): Promise<void> {
  client.send(`MODE ${client.nick} ${modes}`);
  await client.expect(new RegExp(`MODE ${client.nick} :?\\${modes}`));
}

describe("WHOX", () => {
  test("ISUPPORT advertises WHOX", async () => {
    const a = await user("a");
    expect(a.lines.some((line) => / 005 .* WHOX( |$)/.test(line))).toBe(true);
  });

  test("every field, in the fixed order whatever order they were asked in, then 315", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const ch = channel();
    await joinAll(ch, b, a);
    const expected = ["123", ch, `~${b.nick}`, "255.255.255.255", "127.0.0.1", "irc.test", b.nick, "H@", "0", expect.stringMatching(/^\d+$/), "0", "0", `${b.nick} Real`];
    const full = await who(a, `WHO ${b.nick} %tcuihsnfdlaor,123`);
    expect(full.replies).toEqual([expected]);
    expect(full.end[0]).toBe(b.nick);
    const reversed = await who(a, `WHO ${b.nick} %roaldfnshiuct,123`);
    expect(reversed.replies).toEqual([expected]);
  });

  test("a token is echoed only when it is 1-3 digits; unknown letters are ignored", async () => {
    const [a, b] = [await user("a"), await user("b")];
    expect((await who(a, `WHO ${b.nick} %tn,321`)).replies).toEqual([["321", b.nick]]);
    expect((await who(a, `WHO ${b.nick} %tn,4567`)).replies).toEqual([["0", b.nick]]);
    expect((await who(a, `WHO ${b.nick} %xnzy`)).replies).toEqual([[b.nick]]);
    const upper = await who(a, `WHO ${b.nick} %N`);
    expect(upper.lines).toEqual([expect.stringMatching(new RegExp(` 354 ${a.nick} ${b.nick}$`))]);
    // The realname is the last parameter, spaces and all.
    expect((await who(a, `WHO ${b.nick} %nr`)).lines).toEqual([expect.stringMatching(new RegExp(` 354 ${a.nick} ${b.nick} :${b.nick} Real$`))]);
  });

  test("the IP is shown to the user itself and to operators only; the account is 0 when none", async () => {
    const [a, b] = [await user("a"), await user("b")];
    expect((await who(a, `WHO ${a.nick} %ina`)).replies).toEqual([["127.0.0.1", a.nick, "0"]]);
    expect((await who(a, `WHO ${b.nick} %in`)).replies).toEqual([["255.255.255.255", b.nick]]);
    a.send("OPER root pw");
    await a.expect(/ 381 /);
    expect((await who(a, `WHO ${b.nick} %in`)).replies).toEqual([["127.0.0.1", b.nick]]);
  });

  test("a channel gives one 354 per member with its prefix; the o filter goes before the %", async () => {
    const [a, b, c] = [await user("a"), await user("b"), await user("c")];
    const ch = channel();
    await joinAll(ch, a, b, c);
    c.send("OPER root pw");
    await c.expect(/ 381 /);
    const all = await who(b, `WHO ${ch} %cnf,7`);
    expect(all.replies.sort((x, y) => (x[1] ?? "").localeCompare(y[1] ?? ""))).toEqual([
      [ch, a.nick, "H@"],
      [ch, b.nick, "H"],
      [ch, c.nick, "H*"],
    ]);
    expect(all.end[0]).toBe(ch);
    expect((await who(b, `WHO ${ch} o%nf`)).replies).toEqual([[c.nick, "H*"]]);
  });
});

describe("WHO", () => {
  test("an invisible user: hidden from masks, found by exact nick, seen by those sharing a channel and by operators", async () => {
    const [evan, shiv] = [await user("evan"), await user("shiv")];
    await setMode(evan, "+i");
    const mask = `${evan.nick.slice(0, 3)}*${evan.nick.slice(4)}`;
    expect((await who(shiv, `WHO ${mask}`)).replies).toEqual([]);
    expect(nicks((await who(shiv, `WHO ${evan.nick}`)).replies)).toEqual([evan.nick]);
    expect(nicks((await who(shiv, `WHO ${evan.nick.toUpperCase()}`)).replies)).toEqual([evan.nick]);
    const ch = channel();
    await joinAll(ch, evan, shiv);
    expect(nicks((await who(shiv, `WHO ${mask}`)).replies)).toEqual([evan.nick]);
    shiv.send(`PART ${ch}`);
    await shiv.expect(/ PART /);
    expect((await who(shiv, `WHO ${mask}`)).replies).toEqual([]);
    // Outside the channel, its invisible members are not listed.
    expect((await who(shiv, `WHO ${ch}`)).replies).toEqual([]);
    shiv.send("OPER root pw");
    await shiv.expect(/ 381 /);
    expect(nicks((await who(shiv, `WHO ${mask}`)).replies)).toEqual([evan.nick]);
    expect(nicks((await who(shiv, `WHO ${ch}`)).replies)).toEqual([evan.nick]);
  });

  test("an invisible user's channel is not named to someone outside it", async () => {
    const [evan, shiv] = [await user("evan"), await user("shiv")];
    const ch = channel();
    await joinAll(ch, evan);
    await setMode(evan, "+i");
    const [reply] = (await who(shiv, `WHO ${evan.nick}`)).replies;
    expect(reply?.slice(0, 1)).toEqual(["*"]);
    expect(reply?.[5]).toBe("H");
  });

  test("flags: G when away, * for operators, the channel prefix; every prefix with multi-prefix", async () => {
    const [a, b] = [await user("a", ["multi-prefix"]), await user("b")];
    const ch = channel();
    await joinAll(ch, a, b);
    a.send(`MODE ${ch} +v ${a.nick}`, "OPER root pw", "AWAY :gone");
    await a.expect(/ 306 /);
    const withAll = await who(a, `WHO ${a.nick}`);
    expect(withAll.replies).toEqual([[ch, `~${a.nick}`, "127.0.0.1", "irc.test", a.nick, "G*@+", `0 ${a.nick} Real`]]);
    expect((await who(b, `WHO ${a.nick}`)).replies[0]?.[5]).toBe("G*@");
  });

  test("masks match the nick, user name, host, realname or nick!user@host; 0 and * list everyone visible", async () => {
    const [a, b] = [await user("mask"), await user("other")];
    expect(nicks((await who(b, `WHO *!~${a.nick}@127.0.0.*`)).replies)).toEqual([a.nick]);
    expect(nicks((await who(b, `WHO ~${a.nick}`)).replies)).toEqual([a.nick]);
    expect(nicks((await who(b, `WHO :${a.nick} Real`)).replies)).toEqual([a.nick]);
    expect(nicks((await who(b, `WHO ${a.nick.toUpperCase().slice(0, 4)}?*`)).replies)).toContain(a.nick);
    expect(nicks((await who(b, "WHO 0")).replies)).toEqual(expect.arrayContaining([a.nick, b.nick]));
    expect(nicks((await who(b, "WHO * o")).replies)).not.toContain(a.nick);
    const none = await who(b, "WHO nobodyHere");
    expect(none.replies).toEqual([]);
    expect(none.end).toEqual(["nobodyHere", "End of /WHO list"]);
  });
});

describe("WHOIS", () => {
  test("an invisible user's channels only to those on them", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const [shared, own] = [channel(), channel()];
    await joinAll(shared, a, b);
    await joinAll(own, a);
    await setMode(a, "+i");
    b.skip();
    b.send(`WHOIS ${a.nick}`);
    expect(await b.expect(/ 319 /)).toMatch(new RegExp(` 319 ${b.nick} ${a.nick} :@${shared}$`));
  });

  test("secret (+s) and private (+p) channels only to their members and operators", async () => {
    const [a, b, c] = [await user("a"), await user("b"), await user("c")];
    const [secret, priv, open] = [channel(), channel(), channel()];
    await joinAll(secret, a);
    await joinAll(priv, a);
    await joinAll(open, a);
    a.send(`MODE ${secret} +s`, `MODE ${priv} +p`);
    await a.expect(new RegExp(`MODE ${priv} \\+p`));
    b.skip();
    b.send(`WHOIS ${a.nick}`);
    expect(await b.expect(/ 319 /)).toMatch(new RegExp(` 319 ${b.nick} ${a.nick} :@${open}$`));
    expect((await who(b, `WHO ${secret}`)).replies).toEqual([]);
    expect(nicks((await who(b, `WHO ${priv}`)).replies)).toEqual([a.nick]);
    expect((await who(b, `WHO ${a.nick} %cn`)).replies).toEqual([[open, a.nick]]);
    await joinAll(secret, c);
    c.skip();
    c.send(`WHOIS ${a.nick}`);
    expect((await c.expect(/ 319 /)).split(" :")[1]?.split(" ").sort()).toEqual([`@${secret}`, `@${open}`].sort());
    expect(nicks((await who(c, `WHO ${secret}`)).replies)).toEqual([a.nick, c.nick].sort());
    b.send("OPER root pw");
    await b.expect(/ 381 /);
    expect(nicks((await who(b, `WHO ${secret}`)).replies)).toEqual([a.nick, c.nick].sort());
  });

  test("many channels are split over several 319 lines of at most 512 bytes", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const names = Array.from({ length: 14 }, (_, i) => `${channel()}${"x".repeat(40)}${i}`);
    a.send(`JOIN ${names.slice(0, 7).join(",")}`, `JOIN ${names.slice(7).join(",")}`);
    await a.expect(new RegExp(` 366 ${a.nick} ${names.at(-1)} `));
    b.skip();
    b.send(`WHOIS ${a.nick}`);
    await b.expect(/ 318 /);
    const lines = b.lines.filter((line) => line.includes(` 319 ${b.nick} ${a.nick} `));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line) + 2).toBeLessThanOrEqual(512);
    const listed = lines.flatMap((line) => line.split(" :")[1]?.split(" ") ?? []);
    expect(listed.sort()).toEqual(names.map((name) => `@${name}`).sort());
  });
});

describe.skipIf(noRedis)("WHO, WHOX, WHOIS and WHOWAS of users on another node", () => {
  test("WHO by channel, nick and mask, and WHOX, list a user of the other node", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const ch = cluster.channel();
    ann.send(`JOIN ${ch}`);
    await ann.expect(/ 366 /);
    bob.send(`JOIN ${ch}`);
    await ann.expect(new RegExp(`:${bob.nick}!\\S+ JOIN`));
    bob.send("AWAY :away");
    await expect.poll(() => cluster.state.nodes[0]?.server.findClient(bob.nick)?.away).toBe("away");
    expect((await who(ann, `WHO ${ch}`)).replies.map((params) => params[4] + " " + params[5]).sort()).toEqual([`${ann.nick} H@`, `${bob.nick} G`].sort());
    expect(nicks((await who(ann, `WHO ${bob.nick}`)).replies)).toEqual([bob.nick]);
    expect(nicks((await who(ann, `WHO ${bob.nick.slice(0, 3)}*`)).replies)).toContain(bob.nick);
    const [fields] = (await who(ann, `WHO ${bob.nick} %tcuinfla,9`)).replies;
    expect(fields).toEqual(["9", ch, `~${bob.nick}`, "255.255.255.255", bob.nick, "G", "0", "0"]);
  });

  test("an invisible user of the other node is hidden from masks until a channel is shared", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    bob.send(`MODE ${bob.nick} +i`);
    await bob.expect(/ MODE /);
    const mask = `${bob.nick.slice(0, 3)}*`;
    await expect.poll(async () => nicks((await who(ann, `WHO ${mask}`)).replies)).not.toContain(bob.nick);
    expect(nicks((await who(ann, `WHO ${bob.nick}`)).replies)).toEqual([bob.nick]);
    const ch = cluster.channel();
    bob.send(`JOIN ${ch}`);
    await bob.expect(/ 366 /);
    ann.send(`JOIN ${ch}`);
    await bob.expect(new RegExp(`:${ann.nick}!\\S+ JOIN`));
    expect(nicks((await who(ann, `WHO ${mask}`)).replies)).toContain(bob.nick);
  });

  test("WHOIS of a user of the other node: no idle line (not known here); WHOWAS once it left", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    await expect.poll(() => cluster.state.nodes[0]?.server.findClient(bob.nick)).toBeTruthy();
    const start = ann.lines.length;
    ann.skip();
    ann.send(`WHOIS ${bob.nick}`);
    await ann.expect(/ 318 /);
    const codes = ann.lines.slice(start).map((line) => line.split(" ")[1]);
    expect(codes).toContain("311");
    expect(codes).not.toContain("317");
    bob.send("QUIT :bye");
    await expect.poll(() => cluster.state.nodes[0]?.server.findClient(bob.nick)).toBeFalsy();
    ann.skip();
    ann.send(`WHOWAS ${bob.nick}`);
    expect(await ann.expect(/ 314 /)).toMatch(new RegExp(` 314 ${ann.nick} ${bob.nick} ~${bob.nick} \\S+ \\* :${bob.nick} Real$`));
    await ann.expect(/ 369 /);
  });
});
