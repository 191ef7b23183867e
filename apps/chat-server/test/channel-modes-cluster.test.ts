import { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import type { ChannelInfo } from "../src/state/snapshot.js";
import { noRedis, useCluster } from "./cluster-fixture.js";
import type { RawClient } from "./raw-client.js";

const cluster = useCluster(2);

type Client = RawClient & { nick: string };

/** The channels a LIST shows client. */
async function listed(client: Client, params = ""): Promise<string[]> {
  client.send(`LIST ${params}`.trim());
  const names: string[] = [];
  for (;;) {
    const line = await client.expect(/ 32[23] /);
    if (/ 323 /.test(line)) return names;
    names.push(line.split(" ")[3] ?? "");
  }
}

/** What Redis holds for channel. */
async function stored(channel: string): Promise<ChannelInfo | undefined> {
  const redis = new Redis(cluster.state.redis?.url ?? "");
  try {
    const text = await redis.get(`${cluster.prefix}:chan:${channel.toLowerCase()}`);
    return text === null ? undefined : (JSON.parse(text) as ChannelInfo);
  } finally {
    redis.disconnect();
  }
}

describe.skipIf(noRedis)("channel modes on two nodes", () => {
  test("+s and +p reach the other node: its LIST, NAMES and WHOIS hide the channel from outsiders", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const secret = cluster.channel();
    const hidden = cluster.channel();
    ann.send(`JOIN ${secret}`, `JOIN ${hidden}`, `MODE ${secret} +s`, `MODE ${hidden} +p`);
    await ann.expect(new RegExp(`MODE ${hidden} \\+p$`));
    await expect.poll(() => cluster.state.nodes[1]?.server.findChannel(hidden)?.private).toBe(true);
    expect(cluster.state.nodes[1]?.server.findChannel(secret)?.secret).toBe(true);
    expect(await listed(bob, `${secret},${hidden}`)).toEqual([hidden]);
    bob.send(`NAMES ${secret}`);
    expect(await bob.expect(/ 366 /)).toContain(` 366 ${bob.nick} ${secret} :`);
    bob.send(`NAMES ${hidden}`);
    expect(await bob.expect(/ 353 /)).toBe(`:irc.node1 353 ${bob.nick} * ${hidden} :@${ann.nick}`);
    bob.send(`WHOIS ${ann.nick}`);
    await bob.expect(/ 318 /);
    expect(bob.lines.some((line) => / 319 /.test(line))).toBe(false);
    bob.send(`JOIN ${secret}`);
    expect(await bob.expect(/ 353 /)).toMatch(new RegExp(` 353 ${bob.nick} @ ${secret} :`));
    expect(await listed(bob, secret)).toEqual([secret]);
    expect((await stored(secret))?.modes).toContain("s");
    expect((await stored(hidden))?.modes).toContain("p");
  });

  test("+e and +I set on one node let users of the other in; the lists are in Redis and listed there", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const cat = await cluster.user(1, "cat");
    const channel = cluster.channel();
    ann.send(`JOIN ${channel}`, `MODE ${channel} +b *!*@*`, `MODE ${channel} +e ${bob.nick}`, `MODE ${channel} +iI ${cat.nick}`);
    await ann.expect(new RegExp(`MODE ${channel} \\+iI ${cat.nick}!\\*@\\*$`));
    const info = await stored(channel);
    expect(info?.excepts?.map((entry) => entry.mask)).toEqual([`${bob.nick}!*@*`]);
    expect(info?.invex?.map((entry) => entry.mask)).toEqual([`${cat.nick}!*@*`]);
    await expect.poll(() => cluster.state.nodes[1]?.server.findChannel(channel)?.inviteExceptions.length).toBe(1);
    // bob: banned but excepted, and not invited to the +i channel.
    bob.send(`JOIN ${channel}`);
    await bob.expect(/ 473 /);
    // cat: invite exception, but banned with no exception.
    cat.send(`JOIN ${channel}`);
    await cat.expect(/ 474 /);
    ann.send(`MODE ${channel} +I ${bob.nick}`, `MODE ${channel} +e ${cat.nick}`);
    await ann.expect(new RegExp(`MODE ${channel} \\+e ${cat.nick}!\\*@\\*$`));
    await expect.poll(() => cluster.state.nodes[1]?.server.findChannel(channel)?.exceptions.length).toBe(2);
    bob.send(`JOIN ${channel}`);
    await bob.expect(/ 366 /);
    cat.send(`JOIN ${channel}`);
    await cat.expect(/ 366 /);
    ann.send(`MODE ${channel} +o ${bob.nick}`);
    await bob.expect(new RegExp(`MODE ${channel} \\+o ${bob.nick}$`));
    bob.send(`MODE ${channel} e`);
    const exceptions = [await bob.expect(/ 34[89] /), await bob.expect(/ 34[89] /), await bob.expect(/ 34[89] /)];
    expect(exceptions.map((line) => line.split(" ")[4])).toEqual([`${bob.nick}!*@*`, `${cat.nick}!*@*`, ":End"]);
    bob.send(`MODE ${channel} -I ${cat.nick}`);
    await ann.expect(new RegExp(`MODE ${channel} -I ${cat.nick}!\\*@\\*$`));
    await expect.poll(async () => (await stored(channel))?.invex?.map((entry) => entry.mask)).toEqual([`${bob.nick}!*@*`]);
  });

  test("LIST's C filter and 329 use the time the channel was created on its first node", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const channel = cluster.channel();
    ann.send(`JOIN ${channel}`, `MODE ${channel}`);
    const created = (await ann.expect(/ 329 /)).split(" ").at(-1);
    await expect.poll(() => cluster.state.nodes[1]?.server.findChannel(channel)?.createdAt).toBe(Number(created));
    expect(await listed(bob, `${channel},C<5`)).toEqual([channel]);
    expect(await listed(bob, `${channel},C>5`)).toEqual([]);
    bob.send(`MODE ${channel}`);
    expect(await bob.expect(/ 329 /)).toBe(`:irc.node1 329 ${bob.nick} ${channel} ${created}`);

    // A channel created long ago, as its node left it in Redis (its events still in flight).
    const old = cluster.channel();
    const redis = new Redis(cluster.state.redis?.url ?? "");
    try {
      await redis.set(`${cluster.prefix}:chan:${old}`, JSON.stringify({ name: old, modes: "nt", bans: [], invited: [], created: 1_000 }));
    } finally {
      redis.disconnect();
    }
    bob.send(`JOIN ${old}`, `MODE ${old}`);
    expect(await bob.expect(/ 329 /)).toBe(`:irc.node1 329 ${bob.nick} ${old} 1000`);
    expect(await listed(bob, `#k*,C>5`)).toEqual([old]);
  });
});
