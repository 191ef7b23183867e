import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import { RawClient, register } from "./raw-client.js";
import { ClusterError, createChatServer, createRedisHistory, openSqliteHistory, parseMessage, redisCluster } from "../src/index.js";
import { noRedis, startNode, useCluster } from "./cluster-fixture.js";

const cluster = useCluster(3);

/** Joins each client to channel in turn, waiting until every earlier one (on any node) saw it. */
async function joinAll(channel: string, ...clients: (RawClient & { nick: string })[]): Promise<void> {
  for (const [i, client] of clients.entries()) {
    client.send(`JOIN ${channel}`);
    await client.expect(/ 366 /);
    for (const earlier of clients.slice(0, i)) await earlier.expect(new RegExp(`^(@\\S+ )?:${client.nick}!\\S+ JOIN ${channel}`));
  }
}

describe.skipIf(noRedis)("cluster mode, three nodes in one process", () => {
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

  test("PRIVMSG and NOTICE to a user on the other node, with the away reply from there", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    bob.send("AWAY :at lunch");
    await bob.expect(/ 306 /);
    await expect.poll(() => cluster.state.nodes[0]?.server.findClient(bob.nick)?.away).toBe("at lunch");
    ann.send(`PRIVMSG ${bob.nick} :psst`, `NOTICE ${bob.nick} :note`);
    expect(await bob.expect(/PRIVMSG/)).toMatch(new RegExp(`^:${ann.nick}!\\S+ PRIVMSG ${bob.nick} :psst$`));
    await bob.expect(new RegExp(`NOTICE ${bob.nick} :note$`));
    expect(await ann.expect(/ 301 /)).toMatch(new RegExp(`301 ${ann.nick} ${bob.nick} :at lunch$`));
    bob.send(`PRIVMSG ${ann.nick} :back`);
    await ann.expect(/PRIVMSG \S+ :back$/);
    ann.send("PRIVMSG nobody-here :x");
    await ann.expect(/ 401 /);
  });

  test("NAMES, WHO, WHOIS, LIST, TOPIC, ISON and LUSERS see users of both nodes", async () => {
    const ann = await cluster.user(0, "ann", ["multi-prefix"]);
    const bob = await cluster.user(1, "bob");
    const channel = cluster.channel();
    await joinAll(channel, ann, bob);
    ann.send(`TOPIC ${channel} :shared topic`);
    await bob.expect(new RegExp(`TOPIC ${channel} :shared topic$`));
    bob.send(`NAMES ${channel}`);
    const names = await bob.expect(/ 353 /);
    expect(names).toContain(`@${ann.nick}`);
    expect(names).toContain(` ${bob.nick}`);
    bob.send(`WHO ${channel}`);
    expect(await bob.expect(new RegExp(` 352 ${bob.nick} ${channel} ~${ann.nick} \\S+ \\S+ ${ann.nick} H@`))).toBeTruthy();
    await bob.expect(/ 315 /);
    bob.send(`WHOIS ${ann.nick}`);
    expect(await bob.expect(/ 311 /)).toMatch(new RegExp(`311 ${bob.nick} ${ann.nick} ~${ann.nick} \\S+ \\* :${ann.nick} Real$`));
    expect(await bob.expect(/ 319 /)).toContain(`@${channel}`);
    await bob.expect(/ 318 /);
    bob.send(`LIST ${channel}`);
    expect(await bob.expect(/ 322 /)).toMatch(new RegExp(`322 ${bob.nick} ${channel} 2 :shared topic$`));
    bob.send(`TOPIC ${channel}`);
    expect(await bob.expect(/ 333 /)).toContain(`${ann.nick}!`);
    bob.send(`ISON ${ann.nick} nobody`);
    expect(await bob.expect(/ 303 /)).toMatch(new RegExp(`303 ${bob.nick} :${ann.nick}$`));
    ann.send("LUSERS");
    const users = Number(/There are (\d+) users/.exec(await ann.expect(/ 251 /))?.[1]);
    expect(users).toBeGreaterThanOrEqual(2);
  });

  test("MODE, KICK, INVITE and KILL act on users of the other node", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const cat = await cluster.user(1, "cat");
    const channel = cluster.channel();
    await joinAll(channel, ann, bob);
    ann.send(`MODE ${channel} +o ${bob.nick}`);
    await bob.expect(new RegExp(`MODE ${channel} \\+o ${bob.nick}$`));
    // bob's own node now lets him act as an operator.
    bob.send(`MODE ${channel} +i`);
    await ann.expect(new RegExp(`MODE ${channel} \\+i$`));
    bob.send(`INVITE ${ann.nick} ${channel}`);
    await bob.expect(/ 443 /);
    ann.send(`INVITE ${cat.nick} ${channel}`);
    await cat.expect(new RegExp(`INVITE ${cat.nick} ${channel}$`));
    cat.send(`JOIN ${channel}`);
    await cat.expect(/ 366 /);
    await ann.expect(new RegExp(`:${cat.nick}!\\S+ JOIN ${channel}$`));
    ann.send(`KICK ${channel} ${cat.nick} :out`);
    await cat.expect(new RegExp(`KICK ${channel} ${cat.nick} :out$`));
    await bob.expect(new RegExp(`KICK ${channel} ${cat.nick} :out$`));
    ann.send(`NAMES ${channel}`);
    expect(await ann.expect(/ 353 /)).not.toMatch(new RegExp(`[ :@]${cat.nick}\\b`));
    const oper = await register(cluster.state.nodes[0]?.port ?? 0, "opr" + cat.nick);
    cluster.track(oper);
    oper.send("OPER admin secret", `KILL ${cat.nick} :enough`);
    await oper.expect(/ 381 /);
    expect(await cat.expect(/ KILL /)).toMatch(new RegExp(`KILL ${cat.nick} :enough$`));
    await cat.done;
    await expect.poll(async () => {
      oper.send(`ISON ${cat.nick}`);
      return oper.expect(/ 303 /);
    }).toMatch(/ 303 \S+ :$/);
  });

  test("NICK and QUIT on one node are seen on the others", async () => {
    const ann = await cluster.user(0, "ann");
    const bob = await cluster.user(1, "bob");
    const cat = await cluster.user(2, "cat");
    const channel = cluster.channel();
    await joinAll(channel, ann, bob, cat);
    bob.send(`NICK ${bob.nick}x`);
    expect(await ann.expect(/ NICK /)).toMatch(new RegExp(`^:${bob.nick}!\\S+ NICK :?${bob.nick}x$`));
    expect(await cat.expect(/ NICK /)).toMatch(new RegExp(`^:${bob.nick}!\\S+ NICK :?${bob.nick}x$`));
    ann.send(`WHOIS ${bob.nick}x`);
    await ann.expect(/ 311 /);
    // The old nick is free again, network-wide.
    const reuse = await register(cluster.state.nodes[0]?.port ?? 0, bob.nick);
    cluster.track(reuse);
    bob.send("QUIT :bye now");
    expect(await ann.expect(/ QUIT /)).toMatch(new RegExp(`^:${bob.nick}x!\\S+ QUIT :Quit: bye now$`));
    expect(await cat.expect(/ QUIT /)).toMatch(new RegExp(`^:${bob.nick}x!\\S+ QUIT :Quit: bye now$`));
    ann.send(`NAMES ${channel}`);
    expect(await ann.expect(/ 353 /)).not.toContain(`${bob.nick}x`);
  });

  test("users taking the same nick at once on three nodes: exactly one gets it, the others 433", async () => {
    for (let round = 0; round < 5; round++) {
      const nick = `same${round}${cluster.prefix}`;
      const clients = await Promise.all(cluster.state.nodes.map(async (node) => {
        const client = await RawClient.connect(node.port);
        cluster.track(client);
        return client;
      }));
      for (const client of clients) client.send(`NICK ${nick}`, `USER u 0 * :u`);
      const outcomes = await Promise.all(clients.map((client) => client.expect(/ (001|433) /)));
      expect(outcomes.filter((line) => / 433 /.test(line))).toHaveLength(clients.length - 1);
      expect(outcomes.filter((line) => / 001 /.test(line))).toHaveLength(1);
    }
  });

  test("two users creating the same channel at once on two nodes: exactly one is its operator, on both", async () => {
    for (let round = 0; round < 5; round++) {
      const ann = await cluster.user(0, "ann");
      const bob = await cluster.user(1, "bob");
      const channel = cluster.channel();
      ann.send(`JOIN ${channel}`);
      bob.send(`JOIN ${channel}`);
      await Promise.all([ann.expect(/ 366 /), bob.expect(/ 366 /)]);
      // Each node has heard of the other's member (the JOIN itself may have come before one's own).
      const nodes = cluster.state.nodes;
      await expect.poll(() => [0, 1].map((i) => nodes[i]?.server.findChannel(channel)?.members.size)).toEqual([2, 2]);
      const ops = async (client: RawClient): Promise<string[]> => {
        client.skip();
        client.send(`NAMES ${channel}`);
        const names = (await client.expect(/ 353 /)).split(" :")[1] ?? "";
        return names.split(" ").filter((name) => name.startsWith("@")).sort();
      };
      const seenByAnn = await ops(ann);
      expect(seenByAnn).toHaveLength(1);
      expect(await ops(bob)).toEqual(seenByAnn);
    }
  });

  test("JOIN of a channel another node created, before its events arrive: its +i, +k, +l and bans from Redis apply", async () => {
    const redis = new Redis(cluster.state.redis?.url ?? "");
    try {
      // The state a node stores on creating a channel, written as if that node's events were still in flight.
      const store = async (channel: string, info: object): Promise<void> => {
        await redis.set(`${cluster.prefix}:chan:${channel.toLowerCase()}`, JSON.stringify({ name: channel, bans: [], invited: [], ...info }));
      };
      const bob = await cluster.user(1, "bob");
      const inviteOnly = cluster.channel();
      await store(inviteOnly, { modes: "int" });
      bob.send(`JOIN ${inviteOnly}`);
      expect(await bob.expect(/ 473 /)).toContain(`${inviteOnly} :Cannot join channel (+i)`);
      // A refused JOIN leaves no empty channel behind on that node.
      expect(cluster.state.nodes[1]?.server.findChannel(inviteOnly)).toBeUndefined();

      const keyed = cluster.channel();
      await store(keyed, { modes: "nt", key: "sesame" });
      bob.send(`JOIN ${keyed} wrong`);
      await bob.expect(/ 475 \S+ #\S+ :Cannot join channel \(\+k\)/);
      bob.send(`JOIN ${keyed} sesame`);
      await bob.expect(/ 366 /);
      bob.send(`MODE ${keyed}`);
      // Not its creator, so not its operator; the stored modes are the channel's modes here.
      expect(await bob.expect(/ 324 /)).toMatch(/ 324 \S+ #\S+ \+\S*k/);

      const banned = cluster.channel();
      await store(banned, { modes: "nt", bans: [{ mask: `${bob.nick}!*@*`, setBy: "op", setAt: 1 }] });
      bob.send(`JOIN ${banned}`);
      await bob.expect(/ 474 /);

      const invited = cluster.channel();
      await store(invited, { modes: "int", invited: [bob.nick.toLowerCase()] });
      bob.send(`JOIN ${invited}`);
      await bob.expect(new RegExp(`JOIN ${invited}`));
      await bob.expect(/ 366 /);
    } finally {
      redis.disconnect();
    }
  });

  test("with history in Redis Streams, CHATHISTORY on either node returns the same messages and msgids", async () => {
    const url = cluster.state.redis?.url ?? "";
    const prefix = `${cluster.prefix}h`;
    const nodes = [
      await startNode(url, "hist0", prefix, { history: createRedisHistory({ url, prefix }) }),
      await startNode(url, "hist1", prefix, { history: createRedisHistory({ url, prefix }) }),
    ];
    try {
      const caps = ["message-tags", "server-time", "batch", "draft/chathistory"];
      const [ann, bob] = [await register(nodes[0]?.port ?? 0, "hann", caps), await register(nodes[1]?.port ?? 0, "hbob", caps)];
      for (const client of [ann, bob]) {
        client.send("JOIN #hist");
        await client.expect(/ 366 /);
      }
      await ann.expect(/:hbob!\S+ JOIN #hist/);
      for (let i = 0; i < 3; i++) ann.send(`PRIVMSG #hist :line ${i}`);
      await bob.expect(/PRIVMSG #hist :line 2$/);
      bob.send("PRIVMSG #hist :reply");
      await ann.expect(/PRIVMSG #hist :reply$/);
      const history = async (client: RawClient): Promise<string[]> => {
        client.skip();
        client.send("CHATHISTORY LATEST #hist * 10");
        const id = / BATCH \+(\S+)/.exec(await client.expect(/ BATCH \+\S+ chathistory /))?.[1] ?? "";
        await client.expect(new RegExp(` BATCH -${id}$`));
        return client.lines.filter((line) => line.startsWith(`@batch=${id};`)).map((line) => `${parseMessage(line)?.tags?.msgid} ${parseMessage(line)?.params[1]}`);
      };
      const fromA = await history(ann);
      expect(fromA.map((line) => line.split(" ").slice(1).join(" "))).toEqual(["line 0", "line 1", "line 2", "reply"]);
      expect(await history(bob)).toEqual(fromA);
      ann.close();
      bob.close();
    } finally {
      for (const node of nodes) await node.stop();
    }
  });
});

describe.skipIf(noRedis)("cluster mode with a SQLite history per node", () => {
  test("each node keeps the other nodes' messages too (storeRemote): CHATHISTORY on the receiving node has them", async () => {
    const url = cluster.state.redis?.url ?? "";
    const prefix = `${cluster.prefix}s`;
    const dirs = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), "chat-cluster-sqlite-")));
    const nodes: Awaited<ReturnType<typeof startNode>>[] = [];
    for (const [i, dataDir] of dirs.entries()) {
      const nodeId = `sq${i}`;
      nodes.push(await startNode(url, nodeId, prefix, { history: openSqliteHistory({ dataDir }), cluster: redisCluster({ url, nodeId, prefix, storeRemote: true }) }));
    }
    try {
      const caps = ["message-tags", "server-time", "batch", "draft/chathistory"];
      const ann = await register(nodes[0]?.port ?? 0, "sann", caps);
      const bob = await register(nodes[1]?.port ?? 0, "sbob", caps);
      for (const client of [ann, bob]) {
        client.send("JOIN #sq");
        await client.expect(/ 366 /);
      }
      await expect.poll(() => nodes[0]?.server.findChannel("#sq")?.members.size).toBe(2);
      ann.send("PRIVMSG #sq :to the channel", "PRIVMSG sbob :to bob");
      const seen = parseMessage(await bob.expect(/PRIVMSG #sq :to the channel$/))?.tags?.msgid;
      await bob.expect(/PRIVMSG sbob :to bob$/);
      bob.send("CHATHISTORY LATEST #sq * 10");
      expect(await bob.expect(/PRIVMSG #sq :to the channel$/)).toContain(`msgid=${seen}`);
      bob.send("CHATHISTORY LATEST sann * 10");
      await bob.expect(/PRIVMSG sbob :to bob$/);
      ann.close();
      bob.close();
    } finally {
      for (const node of nodes) await node.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cluster configuration", () => {
  test("a node id with a slash is refused with a typed error", () => {
    expect(() => createChatServer({ cluster: redisCluster({ url: "redis://127.0.0.1:1", nodeId: "a/b" }) })).toThrow(ClusterError);
  });
});
