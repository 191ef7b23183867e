import { describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import type { RawClient } from "./raw-client.js";

/** Joins each client in turn, waiting until every earlier one (on any node) saw it. */
async function joinAll(channel: string, ...clients: (RawClient & { nick: string })[]): Promise<void> {
  for (const [i, client] of clients.entries()) {
    client.send(`JOIN ${channel}`);
    await client.expect(/ 366 /);
    for (const earlier of clients.slice(0, i)) await earlier.expect(new RegExp(`:${client.nick}!\\S+ JOIN ${channel}`));
  }
}

describe.skipIf(noRedis)("capabilities across two cluster nodes", () => {
  const cluster = useCluster(2);

  test("labeled-response: a NICK answered after the claim in Redis, and a channel echo, carry the label; the other node's member never sees it", async () => {
    const ann = await cluster.user(0, "ann", ["labeled-response", "batch", "echo-message", "message-tags"]);
    const bob = await cluster.user(1, "bob", ["message-tags"]);
    const channel = cluster.channel();
    await joinAll(channel, ann, bob);
    ann.send(`@label=n1 NICK ${ann.nick}x`);
    const nick = parseMessage(await ann.expect(/ NICK /));
    expect(nick?.tags?.label).toBe("n1");
    await bob.expect(new RegExp(`:${ann.nick}!\\S+ NICK :?${ann.nick}x$`));
    ann.send(`@label=m1 PRIVMSG ${channel} :labeled hello`);
    expect(parseMessage(await ann.expect(/PRIVMSG/))?.tags?.label).toBe("m1");
    const relayed = parseMessage(await bob.expect(/PRIVMSG/));
    expect(relayed?.params[1]).toBe("labeled hello");
    expect(relayed?.tags?.label).toBeUndefined();
  });

  test("userhost-in-names and multi-prefix show the other node's members in full", async () => {
    const ann = await cluster.user(0, "ann", ["userhost-in-names", "multi-prefix"]);
    const bob = await cluster.user(1, "bob");
    const channel = cluster.channel();
    await joinAll(channel, bob, ann);
    bob.send(`MODE ${channel} +v ${bob.nick}`);
    await ann.expect(/ MODE /);
    ann.send(`NAMES ${channel}`);
    expect(await ann.expect(/ 353 /)).toMatch(new RegExp(`@\\+${bob.nick}!~${bob.nick}@\\S+`));
  });

  test("away-notify: a peer on the other node sees AWAY, and the AWAY of an away user who joins", async () => {
    const ann = await cluster.user(0, "ann", ["away-notify"]);
    const bob = await cluster.user(1, "bob");
    const cat = await cluster.user(1, "cat");
    const channel = cluster.channel();
    await joinAll(channel, ann, bob);
    bob.send("AWAY :lunch");
    expect(await ann.expect(/ AWAY /)).toMatch(new RegExp(`^:${bob.nick}!\\S+ AWAY :lunch$`));
    cat.send("AWAY :busy");
    await cat.expect(/ 306 /);
    cat.send(`JOIN ${channel}`);
    await ann.expect(new RegExp(`:${cat.nick}!\\S+ JOIN`));
    expect(await ann.expect(/ AWAY /)).toMatch(new RegExp(`^:${cat.nick}!\\S+ AWAY :busy$`));
  });

  test("cap-notify comes with CAP LS 302 on either node, and both nodes offer the same capabilities", async () => {
    const [first, second] = await Promise.all([0, 1].map(async (at) => {
      const client = await cluster.user(at, "cap");
      client.send("CAP LS 302", "CAP LIST");
      const offered = await client.expect(/ CAP \S+ LS /);
      expect(await client.expect(/ CAP \S+ LIST /)).toMatch(/ LIST :cap-notify$/);
      return offered.slice(offered.indexOf(" LS "));
    }));
    expect(first).toBe(second);
    for (const cap of ["labeled-response", "extended-join", "extended-monitor", "setname", "userhost-in-names"]) expect(first).toContain(cap);
  });

  test("account-tag: what a logged-in user of the other node says carries its account", async () => {
    const ann = await cluster.user(0, "ann", ["account-tag"]);
    const bob = await cluster.user(1, "bob");
    bob.send("NS REGISTER hunter2");
    await bob.expect(/ 900 /);
    bob.send(`PRIVMSG ${ann.nick} :from an account`);
    expect(parseMessage(await ann.expect(/PRIVMSG/))?.tags?.account).toBe(bob.nick);
  });
});
