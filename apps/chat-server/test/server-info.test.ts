import { describe, expect, test } from "vitest";
import { commands } from "../src/commands/index.js";
import { helpTexts } from "../src/commands/help-texts.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import { useServer } from "./fixture.js";
import { RawClient, register, startServer } from "./raw-client.js";

const { user, raw } = useServer({ description: "the lab's server", admin: { location: "Lab 3, Oulu", email: "ops@lab.example" } });

/** The lines from the next one matching first up to the next one matching last, both included. */
async function block(client: RawClient, first: RegExp, last: RegExp): Promise<string[]> {
  const start = client.lines.length;
  await client.expect(last);
  const lines = client.lines.slice(start);
  const from = lines.findIndex((line) => first.test(line));
  return lines.slice(from, lines.findIndex((line) => last.test(line)) + 1);
}

describe("INFO, TIME, LINKS, ADMIN", () => {
  test("INFO: 371 lines, then 374", async () => {
    const a = await user("a");
    a.send("INFO");
    const lines = await block(a, / 371 /, / 374 /);
    expect(lines.at(-1)).toBe(`:irc.test 374 ${a.nick} :End of /INFO list`);
    expect(lines.slice(0, -1).every((line) => line.startsWith(`:irc.test 371 ${a.nick} :`))).toBe(true);
    expect(lines.join("\n")).toMatch(/netlab-chat-server.*\n.*Node\.js v\d+/);
    expect(lines.join("\n")).toContain("runs alone");
  });

  test("TIME: 391 with the server name and the time in words", async () => {
    const a = await user("a");
    const before = Math.floor(Date.now() / 1000) * 1000;
    a.send("TIME");
    const line = await a.expect(/ 391 /);
    const [, server, text] = /^:irc\.test 391 \S+ (\S+) :(.+)$/.exec(line) ?? [];
    expect(server).toBe("irc.test");
    expect(Date.parse(text ?? "")).toBeGreaterThanOrEqual(before);
    expect(Date.parse(text ?? "")).toBeLessThanOrEqual(Date.now());
  });

  test("LINKS: this server at 0 hops with its description, its services at 1, then 365; a mask that matches nothing gives 365 alone", async () => {
    const a = await user("a");
    a.send("LINKS");
    expect(await block(a, / 364 /, / 365 /)).toEqual([
      `:irc.test 364 ${a.nick} irc.test irc.test :0 the lab's server`,
      `:irc.test 364 ${a.nick} services.irc.test irc.test :1 netlab services: NickServ, ChanServ`,
      `:irc.test 365 ${a.nick} * :End of /LINKS list`,
    ]);
    a.send("LINKS *.example");
    expect(await a.expect(/ 36[45] /)).toBe(`:irc.test 365 ${a.nick} *.example :End of /LINKS list`);
    a.send("LINKS IRC.*");
    expect(await a.expect(/ 36[45] /)).toMatch(/ 364 \S+ irc\.test irc\.test :0 /);
  });

  test("ADMIN: 256-259 with the configured location and address", async () => {
    const a = await user("a");
    a.send("ADMIN");
    expect(await block(a, / 256 /, / 259 /)).toEqual([
      `:irc.test 256 ${a.nick} irc.test :Administrative info`,
      `:irc.test 257 ${a.nick} :Lab 3, Oulu`,
      `:irc.test 258 ${a.nick} :the lab's server`,
      `:irc.test 259 ${a.nick} :ops@lab.example`,
    ]);
  });
});

describe("HELP and HELPOP", () => {
  test("every command the server knows has help, and there is help only for those", () => {
    expect([...helpTexts.keys()].sort()).toEqual([...commands.keys()].sort());
    for (const [topic, lines] of helpTexts) {
      expect(lines.length, topic).toBeGreaterThanOrEqual(2);
      expect(lines[0]?.startsWith(topic), topic).toBe(true);
      // Each line fits in a 705 with a long nick and topic.
      for (const line of lines) expect(line.length, `${topic}: ${line}`).toBeLessThanOrEqual(400);
    }
  });

  test("HELP alone: an index under *, naming every command", async () => {
    const a = await user("a");
    a.send("HELP");
    const lines = await block(a, / 704 /, / 706 /);
    expect(lines[0]).toMatch(new RegExp(`^:irc\\.test 704 ${a.nick} \\* :`));
    expect(lines.slice(1, -1).every((line) => line.startsWith(`:irc.test 705 ${a.nick} * :`))).toBe(true);
    expect(lines.at(-1)).toBe(`:irc.test 706 ${a.nick} * :End of /HELP`);
    const named = lines.flatMap((line) => line.split(" :")[1]?.split(" ") ?? []);
    for (const command of commands.keys()) expect(named).toContain(command);
  });

  test.each(["HELP", "HELPOP"])("%s privmsg: 704 with the syntax, 705 lines, 706", async (command) => {
    const a = await user("a");
    a.send(`${command} privmsg`);
    const lines = await block(a, / 704 /, / 706 /);
    const text = helpTexts.get("PRIVMSG") ?? [];
    expect(lines).toEqual([
      `:irc.test 704 ${a.nick} PRIVMSG :${text[0]}`,
      ...text.slice(1).map((line) => `:irc.test 705 ${a.nick} PRIVMSG :${line}`),
      `:irc.test 706 ${a.nick} PRIVMSG :End of /HELP`,
    ]);
  });

  test("an unknown topic: 524 alone", async () => {
    const a = await user("a");
    a.send("HELPOP nosuchthing", "PING done");
    await a.expect(/ PONG /);
    expect(a.lines.filter((line) => / (524|70\d) /.test(line))).toEqual([`:irc.test 524 ${a.nick} nosuchthing :No help available on this topic`]);
  });
});

describe("USER and LUSERS", () => {
  test("USER with an empty realname: 461, and no registration until a USER with one", async () => {
    const c = await raw();
    c.send("NICK emptyreal", "USER name * * :", "PING x");
    await c.expect(/^:irc\.test 461 emptyreal USER :Not enough parameters$/);
    await c.expect(/ PONG /);
    expect(c.lines.some((line) => / 001 /.test(line))).toBe(false);
    c.send("USER name * * :Real Name");
    await c.expect(/ 001 emptyreal /);
  });

  test("265 and 266: users here and on the network now and at most; unregistered connections do not count", async () => {
    const { port, server, stop } = await startServer();
    const open: RawClient[] = [];
    try {
      const lusers = async (client: RawClient): Promise<string[]> => {
        client.send("LUSERS");
        return [await client.expect(/ 251 /), await client.expect(/ 253 /), await client.expect(/ 255 /), await client.expect(/ 265 /), await client.expect(/ 266 /)];
      };
      const a = await register(port, "peaka");
      open.push(a);
      expect(a.lines.filter((line) => / 26[56] /.test(line))).toEqual([
        ":irc.test 265 peaka 1 1 :Current local users 1, max 1",
        ":irc.test 266 peaka 1 1 :Current global users 1, max 1",
      ]);
      const b = await register(port, "peakb");
      open.push(b);
      const pending = await RawClient.connect(port);
      open.push(pending);
      pending.send("NICK pending");
      await expect.poll(() => server.clients.size).toBe(3);
      expect(await lusers(a)).toEqual([
        ":irc.test 251 peaka :There are 2 users and 0 invisible on 1 servers",
        ":irc.test 253 peaka 1 :unknown connection(s)",
        ":irc.test 255 peaka :I have 2 clients and 0 servers",
        ":irc.test 265 peaka 2 2 :Current local users 2, max 2",
        ":irc.test 266 peaka 2 2 :Current global users 2, max 2",
      ]);
      b.send("QUIT");
      await b.done;
      pending.close();
      await expect.poll(() => server.clients.size).toBe(1);
      expect((await lusers(a)).slice(3)).toEqual([
        ":irc.test 265 peaka 1 2 :Current local users 1, max 2",
        ":irc.test 266 peaka 1 2 :Current global users 1, max 2",
      ]);
    } finally {
      for (const client of open) client.close();
      await stop();
    }
  });
});

const cluster = useCluster(2);

describe.skipIf(noRedis)("on two cluster nodes", () => {
  test("LUSERS counts the other node's users in 251 and 266 (now and at most), not in 255 and 265; LINKS names the other node", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const cat = await cluster.user(1, "cat");
    const node0 = cluster.state.nodes[0]?.server;
    await expect.poll(() => node0?.network.remoteUsers).toBe(2);
    ann.send("LUSERS");
    expect(await ann.expect(/ 251 /)).toMatch(/ 251 \S+ :There are 3 users and 0 invisible on 2 servers$/);
    expect(await ann.expect(/ 255 /)).toMatch(/ 255 \S+ :I have 1 clients and 1 servers$/);
    expect(await ann.expect(/ 265 /)).toMatch(/ 265 \S+ 1 1 :Current local users 1, max 1$/);
    expect(await ann.expect(/ 266 /)).toMatch(/ 266 \S+ 3 3 :Current global users 3, max 3$/);
    bob.send("LUSERS");
    expect(await bob.expect(/ 265 /)).toMatch(/ 265 \S+ 2 2 :/);
    expect(await bob.expect(/ 266 /)).toMatch(/ 266 \S+ 3 3 :/);
    ann.send("LINKS");
    expect(await ann.expect(/ 364 /)).toBe(`:irc.node0 364 ${ann.nick} irc.node0 irc.node0 :0 netlab chat server`);
    expect(await ann.expect(/ 364 /)).toBe(`:irc.node0 364 ${ann.nick} services.irc.node0 irc.node0 :1 netlab services: NickServ, ChanServ`);
    expect(await ann.expect(/ 364 /)).toBe(`:irc.node0 364 ${ann.nick} node1 irc.node0 :1 cluster node node1`);
    await ann.expect(/ 365 /);
    cat.send("QUIT");
    await cat.done;
    await expect.poll(() => node0?.network.remoteUsers).toBe(1);
    ann.send("LUSERS");
    expect(await ann.expect(/ 266 /)).toMatch(/ 266 \S+ 2 3 :Current global users 2, max 3$/);
  });
});
