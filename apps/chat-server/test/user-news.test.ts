import { describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import { useServer, type Named } from "./fixture.js";

/** A fresh channel and a way to join clients to it, each join seen by the earlier ones (on any node). */
type Pair = { channel: string; join(...clients: Named[]): Promise<void> };

function pairOn(channel: string): Pair {
  return {
    channel,
    async join(...clients) {
      for (const [i, client] of clients.entries()) {
        client.send(`JOIN ${channel}`);
        await client.expect(/ 366 /);
        for (const earlier of clients.slice(0, i)) await earlier.expect(new RegExp(`:${client.nick}!\\S+ JOIN ${channel}`));
      }
    },
  };
}

/**
 * What a user changes about itself reaches those who asked for it: extended-join, setname,
 * account-notify, chghost, invite-notify, bot mode and WALLOPS. The same behaviours run on
 * one node and across two cluster nodes.
 */
function userNews(network: () => { a: (nick: string, caps?: string[]) => Promise<Named>; b: (nick: string, caps?: string[]) => Promise<Named>; pair: () => Pair }) {
  test("extended-join: members with the cap see the joiner's account and realname, others a plain JOIN", async () => {
    const { a, b, pair } = network();
    const ann = await a("ann", ["extended-join"]);
    const bob = await b("bob");
    const cat = await a("cat");
    const { channel, join } = pair();
    await join(ann, cat);
    bob.send("NS REGISTER hunter2");
    await bob.expect(/ 900 /);
    bob.send(`JOIN ${channel}`);
    expect(await ann.expect(new RegExp(`:${bob.nick}!\\S+ JOIN`))).toMatch(new RegExp(`JOIN ${channel} ${bob.nick} :${bob.nick} Real$`));
    expect(await cat.expect(new RegExp(`:${bob.nick}!\\S+ JOIN`))).toMatch(new RegExp(`JOIN ${channel}$`));
    const own = await b("own", ["extended-join"]);
    own.send(`JOIN ${channel}`);
    expect(await own.expect(/ JOIN /)).toMatch(new RegExp(`JOIN ${channel} \\* :${own.nick} Real$`));
  });

  test("SETNAME: the user and setname peers see it, others do not; WHOIS shows the new realname", async () => {
    const { a, b, pair } = network();
    const ann = await a("ann", ["setname"]);
    const bob = await b("bob", ["setname"]);
    const cat = await b("cat");
    const { join } = pair();
    await join(ann, bob, cat);
    ann.send("SETNAME :Ann the Second");
    const line = new RegExp(`^:${ann.nick}!\\S+ SETNAME :Ann the Second$`);
    expect(await ann.expect(/ SETNAME /)).toMatch(line);
    expect(await bob.expect(/ SETNAME /)).toMatch(line);
    expect(await cat.sees(/ SETNAME /)).toBe(false);
    cat.send(`WHOIS ${ann.nick}`);
    expect(await cat.expect(/ 311 /)).toMatch(/:Ann the Second$/);
    ann.send(`SETNAME :${"x".repeat(101)}`);
    expect(await ann.expect(/FAIL/)).toMatch(/FAIL SETNAME INVALID_REALNAME /);
  });

  test("account-notify: peers with the cap see ACCOUNT when a user logs in and out", async () => {
    const { a, b, pair } = network();
    const ann = await a("ann", ["account-notify"]);
    const bob = await b("bob");
    const cat = await a("cat");
    const { join } = pair();
    await join(ann, bob, cat);
    bob.send("NS REGISTER hunter2");
    expect(await ann.expect(/ ACCOUNT /)).toMatch(new RegExp(`^:${bob.nick}!\\S+ ACCOUNT ${bob.nick}$`));
    bob.send("NS LOGOUT");
    expect(await ann.expect(/ ACCOUNT /)).toMatch(new RegExp(`^:${bob.nick}!\\S+ ACCOUNT \\*$`));
    expect(await cat.sees(/ ACCOUNT /)).toBe(false);
  });

  test("CHGHOST by an operator: chghost peers see it from the old mask; the new mask is used afterwards", async () => {
    const { a, b, pair } = network();
    const opr = await a("opr");
    const ann = await a("ann", ["chghost"]);
    const bob = await b("bob", ["chghost"]);
    const { channel, join } = pair();
    await join(ann, bob);
    opr.send("CHGHOST bob1 x y", "OPER admin secret", `CHGHOST ${bob.nick} ~robert staff.example`);
    expect(await opr.expect(/ 481 /)).toBeTruthy();
    const line = new RegExp(`^:${bob.nick}!~${bob.nick}@\\S+ CHGHOST ~robert staff\\.example$`);
    expect(await bob.expect(/ CHGHOST /)).toMatch(line);
    expect(await ann.expect(/ CHGHOST /)).toMatch(line);
    bob.send(`PRIVMSG ${channel} :new me`);
    expect(await ann.expect(/PRIVMSG/)).toMatch(new RegExp(`^:${bob.nick}!~robert@staff\\.example PRIVMSG`));
  });

  test("invite-notify: members with the cap see an INVITE; the target gets it wherever it is", async () => {
    const { a, b, pair } = network();
    const ann = await a("ann");
    const bob = await b("bob", ["invite-notify"]);
    const cat = await a("cat");
    const dan = await b("dan");
    const { channel, join } = pair();
    await join(ann, bob, cat);
    ann.send(`INVITE ${dan.nick} ${channel}`);
    const line = new RegExp(`^:${ann.nick}!\\S+ INVITE ${dan.nick} ${channel}$`);
    expect(await dan.expect(/ INVITE /)).toMatch(line);
    expect(await bob.expect(/ INVITE /)).toMatch(line);
    expect(await cat.sees(/ INVITE /)).toBe(false);
  });

  test("bot mode: +B, the bot tag on its messages for message-tags clients, 221", async () => {
    const { a, b, pair } = network();
    const bot = await a("bot");
    const ann = await b("ann", ["message-tags"]);
    const bob = await b("bob");
    const { channel, join } = pair();
    bot.send(`MODE ${bot.nick} +B`, `MODE ${bot.nick}`);
    expect(await bot.expect(/ 221 /)).toMatch(/ 221 \S+ \+B$/);
    await join(bot, ann, bob);
    bot.send(`PRIVMSG ${channel} :beep`);
    const tagged = parseMessage(await ann.expect(/PRIVMSG/));
    expect(tagged?.tags && "bot" in tagged.tags).toBe(true);
    expect(await bob.expect(/PRIVMSG/)).toMatch(/^:bot\d+!/);
    // The +B went out (to other nodes too) before the message did.
    ann.send(`WHOIS ${bot.nick}`);
    expect(await ann.expect(/ 335 /)).toMatch(new RegExp(` 335 ${ann.nick} ${bot.nick} :is a bot$`));
  });

  test("WALLOPS reaches +w users on every node; only operators may send it", async () => {
    const { a, b } = network();
    const opr = await a("opr");
    const ann = await a("ann");
    const bob = await b("bob");
    const cat = await b("cat");
    ann.send(`MODE ${ann.nick} +w`);
    bob.send(`MODE ${bob.nick} +w`);
    await ann.expect(/ MODE \S+ \+w$/);
    await bob.expect(/ MODE \S+ \+w$/);
    opr.send("WALLOPS :nope");
    await opr.expect(/ 481 /);
    opr.send("OPER admin secret", "WALLOPS :maintenance at noon");
    const line = new RegExp(`^:${opr.nick}!\\S+ WALLOPS :maintenance at noon$`);
    expect(await ann.expect(/WALLOPS/)).toMatch(line);
    expect(await bob.expect(/WALLOPS/)).toMatch(line);
    expect(await cat.sees(/WALLOPS/)).toBe(false);
  });
}

describe("what a user changes about itself, one node", () => {
  const server = useServer({ opers: { admin: "secret" } });
  userNews(() => ({
    a: (nick, caps) => server.user(nick, caps),
    b: (nick, caps) => server.user(nick, caps),
    pair: () => pairOn(server.channel()),
  }));
});

describe.skipIf(noRedis)("what a user changes about itself, across two cluster nodes", () => {
  const cluster = useCluster(2);
  userNews(() => ({
    a: (nick, caps) => cluster.user(0, nick, caps),
    b: (nick, caps) => cluster.user(1, nick, caps),
    pair: () => pairOn(cluster.channel()),
  }));
});
