import { describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import type { RawClient } from "./raw-client.js";

const cluster = useCluster(2);

/** Joins each client to channel in turn, waiting until every earlier one (on any node) saw it. */
async function joinAll(channel: string, ...clients: (RawClient & { nick: string })[]): Promise<void> {
  for (const [i, client] of clients.entries()) {
    client.send(`JOIN ${channel}`);
    await client.expect(/ 366 /);
    for (const earlier of clients.slice(0, i)) await earlier.expect(new RegExp(`^(@\\S+ )?:${client.nick}!\\S+ JOIN ${channel}`));
  }
}

describe.skipIf(noRedis)("cluster mode, two nodes in one process", () => {
  test("a channel message reaches members on the other node with the origin's msgid and time", async () => {
    const ann = await cluster.user(0, "ann", ["echo-message", "message-tags", "server-time"]);
    const bob = await cluster.user(1, "bob", ["message-tags", "server-time"]);
    const cat = await cluster.user(1, "cat");
    const channel = cluster.channel();
    await joinAll(channel, ann, bob, cat);
    ann.send(`PRIVMSG ${channel} :hello across`);
    const echoed = parseMessage(await ann.expect(/PRIVMSG \S+ :hello across/));
    const got = parseMessage(await bob.expect(/PRIVMSG \S+ :hello across/));
    expect(got?.prefix).toMatch(new RegExp(`^${ann.nick}!`));
    expect(got?.tags?.msgid).toBe(echoed?.tags?.msgid);
    expect(got?.tags?.time).toBe(echoed?.tags?.time);
    expect(await cat.expect(/PRIVMSG \S+ :hello across/)).toMatch(/^:ann\d+!\S+ PRIVMSG/);
    bob.send(`PRIVMSG ${channel} :and back`);
    await ann.expect(/PRIVMSG \S+ :and back/);
  });
});
