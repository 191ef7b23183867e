import { startRedis } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import type { RedisCluster } from "../src/index.js";
import { noRedis, startNode } from "./cluster-fixture.js";
import { RawClient, register } from "./raw-client.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Numbers n of the `load n` messages client received. */
function seen(client: RawClient): number[] {
  return client.lines.map((line) => /PRIVMSG #load :load (\d+)$/.exec(line)?.[1]).filter((n) => n !== undefined).map(Number);
}

describe.skipIf(noRedis)("cluster mode, Redis going away", () => {
  test("Redis killed and restarted empty under load: local delivery goes on, cross-node delivery and the shared view come back", async () => {
    const redis = await startRedis();
    const a = await startNode(redis.url, "outA", "out");
    const b = await startNode(redis.url, "outB", "out");
    const clients: RawClient[] = [];
    let talking = true;
    try {
      const [ann, amy, bob] = await Promise.all([register(a.port, "ann"), register(a.port, "amy"), register(b.port, "bob")]);
      if (!ann || !amy || !bob) throw new Error("clients did not connect");
      clients.push(ann, amy, bob);
      for (const client of clients) {
        client.send("JOIN #load");
        await client.expect(/ 366 /);
      }
      await ann.expect(/:bob!\S+ JOIN #load/);
      let n = 0;
      const talk = (async () => {
        while (talking) {
          ann.send(`PRIVMSG #load :load ${n++}`);
          await sleep(5);
        }
      })();
      await expect.poll(() => seen(bob).length, { timeout: 5_000 }).toBeGreaterThan(20);

      await redis.kill("SIGKILL");
      const cut = n;
      await expect.poll(() => (a.server.cluster as RedisCluster).stats.up, { timeout: 5_000 }).toBe(false);
      // Local users keep talking while Redis is away, for longer than a lease.
      await sleep(1_500);
      expect(seen(amy).filter((k) => k > cut + 50).length).toBeGreaterThan(50);
      expect(a.server.findClient("bob")).toBeDefined();
      // Meanwhile each node lets a new user take the same nick: only one may keep it afterwards.
      const [zedA, zedB] = await Promise.all([register(a.port, "zed"), register(b.port, "zed")]);
      if (!zedA || !zedB) throw new Error("clients did not connect");
      clients.push(zedA, zedB);

      await redis.restart();
      const back = n;
      await expect.poll(() => seen(bob).filter((k) => k > back).length, { timeout: 10_000 }).toBeGreaterThan(20);
      talking = false;
      await talk;
      expect((a.server.cluster as RedisCluster).stats.outages).toBeGreaterThanOrEqual(1);
      // Everyone is still there, on both nodes, and nicks are owned again network-wide.
      bob.skip();
      bob.send("NAMES #load");
      expect(await bob.expect(/ 353 /)).toMatch(/:(?=.*@ann)(?=.*amy)(?=.*bob)/);
      ann.skip();
      ann.send("WHOIS bob");
      await ann.expect(/ 311 /);
      const taker = await RawClient.connect(b.port);
      clients.push(taker);
      taker.send("NICK amy", "USER x 0 * :x");
      await taker.expect(/ 433 /);
      // The later claimant of "zed" was renamed to a guest nick and told why.
      const renamed = (client: RawClient): boolean => client.lines.some((line) => /NICK :?Guest-/.test(line));
      await expect.poll(() => renamed(zedA) !== renamed(zedB), { timeout: 5_000 }).toBe(true);
      const loser = renamed(zedA) ? zedA : zedB;
      expect(loser.lines.some((line) => /NOTICE Guest-\S+ :Your nick zed was taken/.test(line))).toBe(true);
      // On the loser's node, "zed" now names the winner, a user of the other node.
      const loserNode = loser === zedA ? a : b;
      await expect.poll(() => loserNode.server.findClient("zed")?.home).toBe(loser === zedA ? "outB" : "outA");
      // The sender's own messages reached its local peer in order, none lost.
      const amySaw = seen(amy);
      expect(amySaw).toEqual(amySaw.map((_, i) => i));
    } finally {
      talking = false;
      for (const client of clients) client.close();
      await a.stop();
      await b.stop();
      await redis.stop();
    }
  });

  test("Redis restarted with its data: nicks of users who left during the outage are free again", async () => {
    const redis = await startRedis({ persist: true });
    const a = await startNode(redis.url, "keepA", "keep");
    const b = await startNode(redis.url, "keepB", "keep");
    const clients: RawClient[] = [];
    try {
      const leo = await register(a.port, "leo");
      clients.push(leo);
      await expect.poll(() => b.server.findClient("leo")).toBeDefined();
      await redis.kill("SIGTERM");
      await expect.poll(() => (a.server.cluster as RedisCluster).stats.up, { timeout: 5_000 }).toBe(false);
      leo.send("QUIT :gone while Redis was away");
      await leo.done;
      await redis.restart();
      await expect.poll(() => (a.server.cluster as RedisCluster).stats.up && (b.server.cluster as RedisCluster).stats.up, { timeout: 10_000 }).toBe(true);
      // b still shows leo until a's resync says it is gone; then the nick can be taken on b.
      await expect.poll(() => b.server.findClient("leo"), { timeout: 5_000 }).toBeUndefined();
      const again = await register(b.port, "leo");
      clients.push(again);
      again.send("WHOIS leo");
      expect(await again.expect(/ 311 /)).toContain(" leo ");
    } finally {
      for (const client of clients) client.close();
      await a.stop();
      await b.stop();
      await redis.stop();
    }
  });

  test("Redis that stops answering (CLIENT PAUSE) holds a registration for at most the command timeout", async () => {
    const redis = await startRedis();
    const a = await startNode(redis.url, "pauseA", "pause");
    const admin = new Redis(redis.url);
    const clients: RawClient[] = [];
    try {
      await admin.call("CLIENT", "PAUSE", "6000", "ALL");
      const started = Date.now();
      const kim = await register(a.port, "kim");
      clients.push(kim);
      const took = Date.now() - started;
      expect(took).toBeGreaterThan(1_500);
      expect(took).toBeLessThan(4_000);
      await admin.call("CLIENT", "UNPAUSE");
    } finally {
      for (const client of clients) client.close();
      admin.disconnect();
      await a.stop();
      await redis.stop();
    }
  });
});
