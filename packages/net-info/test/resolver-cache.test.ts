import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createResolver } from "../src/index.js";
import { dnsmasqProgram, startDnsmasq, type Dnsmasq } from "@netlab/test-kit";
import { labRecords } from "./fixtures/lab-records.js";
import { startSilentDnsServer } from "./fixtures/silent-dns-server.js";

const program = dnsmasqProgram();
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe.skipIf(program.skip)("createResolver({ cache: true }) against a real dnsmasq", () => {
  let dns: Dnsmasq;
  beforeAll(async () => {
    dns = await startDnsmasq({ ...labRecords, logQueries: true });
  });
  afterAll(async () => {
    await dns?.stop();
  });

  // The resolver under test reads this clock, so TTLs run out without waiting.
  function clockedResolver(cache: { negativeTtl?: number; maxTtl?: number } = {}) {
    const clock = { ms: 1_000_000 };
    const resolver = createResolver({ servers: [dns.server], cache: { ...cache, now: () => clock.ms } });
    return { resolver, clock };
  }

  // dnsmasq logs a query a moment after it answers: wait for the count to settle.
  async function settledQueries(name: string): Promise<number> {
    await sleep(150);
    return dns.queries(name);
  }

  test("a second lookup within the TTL is served from the cache, with the TTL counting down", async () => {
    const { resolver, clock } = clockedResolver();
    const before = dns.queries("alpha.netlab.test");
    expect(await resolver.resolve("alpha.netlab.test", { family: 4 })).toEqual([{ address: "10.9.8.7", family: 4, ttl: 300 }]);
    clock.ms += 100_500;
    expect(await resolver.resolve("alpha.netlab.test", { family: 4 })).toEqual([{ address: "10.9.8.7", family: 4, ttl: 200 }]);
    expect(resolver.cacheStats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect((await settledQueries("alpha.netlab.test")) - before).toBe(1);
  });

  test("once the TTL has run out the name is queried again", async () => {
    const { resolver, clock } = clockedResolver();
    const before = dns.queries("short.netlab.test");
    expect(await resolver.resolve("short.netlab.test", { family: 4 })).toEqual([{ address: "10.9.8.9", family: 4, ttl: 2 }]);
    clock.ms += 1_500;
    await resolver.resolve("short.netlab.test", { family: 4 });
    clock.ms += 1_000;
    await resolver.resolve("short.netlab.test", { family: 4 });
    expect(resolver.cacheStats()).toMatchObject({ hits: 1, misses: 2 });
    expect((await settledQueries("short.netlab.test")) - before).toBe(2);
  });

  test("maxTtl caps a record's TTL", async () => {
    const { resolver, clock } = clockedResolver({ maxTtl: 10 });
    await resolver.resolve("alpha.netlab.test", { family: 6 });
    clock.ms += 11_000;
    await resolver.resolve("alpha.netlab.test", { family: 6 });
    expect(resolver.cacheStats()).toMatchObject({ hits: 0, misses: 2 });
  });

  test("NXDOMAIN and NO_DATA are cached for negativeTtl", async () => {
    const { resolver, clock } = clockedResolver({ negativeTtl: 5 });
    const before = dns.queries("gone.netlab.test");
    await expect(resolver.resolve("gone.netlab.test", { family: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(resolver.resolve("gone.netlab.test", { family: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(resolver.resolve("v4only.netlab.test", { family: 6 })).rejects.toMatchObject({ code: "NO_DATA" });
    await expect(resolver.resolve("v4only.netlab.test", { family: 6 })).rejects.toMatchObject({ code: "NO_DATA" });
    expect(resolver.cacheStats()).toMatchObject({ hits: 2, misses: 2 });
    clock.ms += 6_000;
    await expect(resolver.resolve("gone.netlab.test", { family: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await settledQueries("gone.netlab.test")) - before).toBe(2);
  });

  test("a REFUSED answer is not cached", async () => {
    const { resolver } = clockedResolver();
    await expect(resolver.resolve("elsewhere.example.org", { family: 4 })).rejects.toMatchObject({ code: "REFUSED" });
    await expect(resolver.resolve("elsewhere.example.org", { family: 4 })).rejects.toMatchObject({ code: "REFUSED" });
    expect(resolver.cacheStats()).toMatchObject({ hits: 0, misses: 2, entries: 0 });
  });

  test("concurrent lookups of one name share one query", async () => {
    const { resolver } = clockedResolver();
    const before = dns.queries("many.netlab.test");
    const results = await Promise.all(Array.from({ length: 20 }, () => resolver.resolve("many.netlab.test", { family: 4 })));
    for (const result of results) expect(result).toHaveLength(6);
    expect((await settledQueries("many.netlab.test")) - before).toBe(1);
  });

  test("names are cached case-insensitively, and clearCache() empties the cache", async () => {
    const { resolver } = clockedResolver();
    await resolver.resolve("WWW.netlab.test", { family: 4 });
    await resolver.resolve("www.NETLAB.test", { family: 4 });
    expect(resolver.cacheStats()).toMatchObject({ hits: 1, entries: 1 });
    resolver.clearCache();
    expect(resolver.cacheStats().entries).toBe(0);
  });

  test("reverse answers are cached too", async () => {
    const { resolver } = clockedResolver();
    expect(await resolver.reverse("10.9.8.7")).toEqual(["alpha.netlab.test"]);
    expect(await resolver.reverse("10.9.8.7")).toEqual(["alpha.netlab.test"]);
    expect(resolver.cacheStats()).toMatchObject({ hits: 1, misses: 1 });
  });
});

describe("a shared query and the callers' signals", () => {
  test("one caller aborting does not stop the query another caller waits for; the last one does", async () => {
    const silent = await startSilentDnsServer();
    try {
      const resolver = createResolver({ servers: [silent.server], cache: true, timeoutMs: 900 });
      const first = new AbortController();
      const second = new AbortController();
      const a = resolver.resolve("shared.netlab.test", { family: 4, signal: first.signal });
      const b = resolver.resolve("shared.netlab.test", { family: 4, signal: second.signal });
      first.abort();
      await expect(a).rejects.toMatchObject({ code: "ABORTED" });
      await sleep(700);
      // c-ares retried the query still wanted by the second caller (about 550 ms in).
      const whileWanted = silent.received();
      expect(whileWanted).toBeGreaterThanOrEqual(2);
      second.abort();
      await expect(b).rejects.toMatchObject({ code: "ABORTED" });
      await sleep(700);
      expect(silent.received()).toBe(whileWanted);
    } finally {
      await silent.close();
    }
  });
});

describe.skipIf(program.skip)("answers from the cache are the caller's own", () => {
  test("changing a returned answer does not change what the next caller gets", async () => {
    const dns = await startDnsmasq(labRecords);
    try {
      const resolver = createResolver({ servers: [dns.server], cache: true });
      const first = await resolver.resolve("many.netlab.test", { family: 4 });
      first.length = 0;
      const second = await resolver.resolve("many.netlab.test", { family: 4 });
      expect(second).toHaveLength(6);
      second[0] = { address: "192.0.2.99", family: 4 };
      expect((await resolver.resolve("many.netlab.test", { family: 4 })).map(({ address }) => address)).not.toContain("192.0.2.99");
    } finally {
      await dns.stop();
    }
  });
});
