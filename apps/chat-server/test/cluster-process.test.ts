import { startRedis } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noRedis, type Redis } from "./cluster-fixture.js";
import { startDaemon } from "./daemon-process.js";
import { register } from "./raw-client.js";

const leaseMs = 1_000;
let redis: Redis | undefined;

beforeAll(async () => {
  if (!noRedis) redis = await startRedis();
});
afterAll(async () => redis?.stop());

/** A chat-server process in the cluster (history in Redis Streams, the default with --redis). */
async function node(id: string) {
  return startDaemon(["--redis", redis?.url ?? "", "--node-id", id, "--cluster-lease-ms", String(leaseMs), "--flood-rate", "0"]);
}

describe.skipIf(noRedis)("cluster mode, nodes as processes", () => {
  test("a node SIGKILLed: its users QUIT on the other node within the lease, and their nicks are free again", async () => {
    const a = await node("procA");
    const b = await node("procB");
    try {
      const ann = await register(a.port, "ann");
      const bob = await register(b.port, "bob");
      const cat = await register(b.port, "cat");
      for (const client of [ann, bob, cat]) {
        client.send("JOIN #proc");
        await client.expect(/ 366 /);
      }
      await ann.expect(/:cat!\S+ JOIN #proc/);
      ann.send("PRIVMSG #proc :before");
      await cat.expect(/PRIVMSG #proc :before$/);
      // History is shared: the other node's client reads it back.
      cat.send("CHATHISTORY LATEST #proc * 10");
      await cat.expect(/PRIVMSG #proc :before$/);
      b.handle.child.kill("SIGKILL");
      const killedAt = Date.now();
      await b.handle.exited;
      const quits = [await ann.expect(/ QUIT /, 10_000), await ann.expect(/ QUIT /, 10_000)];
      const elapsed = Date.now() - killedAt;
      expect(quits.map((line) => /^:(\w+)!/.exec(line)?.[1]).sort()).toEqual(["bob", "cat"]);
      expect(quits[0]).toMatch(/QUIT :\*\.net \*\.split$/);
      // The dead node's key lasts at most 5/6 of the lease; the next check (every lease/6) sees it gone: within the lease, plus the delivery.
      expect(elapsed).toBeLessThan(leaseMs + 500);
      ann.send("NAMES #proc");
      expect(await ann.expect(/ 353 /)).toMatch(/:@ann$/);
      const again = await register(a.port, "bob");
      again.send("WHOIS bob");
      await again.expect(/ 311 /);
      for (const client of [ann, bob, cat, again]) client.close();
    } finally {
      await a.handle.stop();
      await b.handle.stop();
    }
  });
});
