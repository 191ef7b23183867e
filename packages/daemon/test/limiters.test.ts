import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConnectionLimiter, RateLimiter } from "../src/index.js";

describe("ConnectionLimiter", () => {
  test("refuses past the total limit and past the per-address limit, and admits again after a release", () => {
    const limiter = new ConnectionLimiter({ maxConnections: 3, maxPerAddress: 2 });
    expect(limiter.acquire("10.0.0.1")).toEqual({ ok: true });
    expect(limiter.acquire("10.0.0.1")).toEqual({ ok: true });
    expect(limiter.acquire("10.0.0.1")).toEqual({ ok: false, reason: "max-per-address" });
    expect(limiter.acquire("10.0.0.2")).toEqual({ ok: true });
    expect(limiter.acquire("10.0.0.3")).toEqual({ ok: false, reason: "max-connections" });
    expect(limiter.size).toBe(3);
    limiter.release("10.0.0.1");
    expect(limiter.countFor("10.0.0.1")).toBe(1);
    expect(limiter.acquire("10.0.0.3")).toEqual({ ok: true });
  });

  test.each([0, Number.POSITIVE_INFINITY])("a limit of %s means no limit", (limit) => {
    const limiter = new ConnectionLimiter({ maxConnections: limit, maxPerAddress: limit });
    for (let i = 0; i < 1000; i++) expect(limiter.acquire("::1").ok).toBe(true);
    expect(limiter.countFor("::1")).toBe(1000);
  });

  test("releasing an unknown address changes nothing", () => {
    const limiter = new ConnectionLimiter({ maxConnections: 1, maxPerAddress: 1 });
    limiter.release("nobody");
    expect(limiter.size).toBe(0);
  });

  test("never counts more than its limits, whatever the order of acquires and releases", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 4 })), { maxLength: 200 }), (steps) => {
        const limiter = new ConnectionLimiter({ maxConnections: 5, maxPerAddress: 2 });
        const held: number[] = [];
        for (const [acquire, who] of steps) {
          if (acquire) {
            if (limiter.acquire(`a${who}`).ok) held.push(who);
          } else {
            const index = held.indexOf(who);
            if (index >= 0) {
              held.splice(index, 1);
              limiter.release(`a${who}`);
            }
          }
          expect(limiter.size).toBe(held.length);
          expect(limiter.size).toBeLessThanOrEqual(5);
          for (let a = 0; a <= 4; a++) expect(limiter.countFor(`a${a}`)).toBeLessThanOrEqual(2);
        }
      }),
    );
  });
});

describe("RateLimiter", () => {
  test("allows a burst, then refills at the rate", () => {
    let now = 0;
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 5, now: () => now });
    const firstSecond = Array.from({ length: 8 }, () => limiter.take("k"));
    expect(firstSecond.filter(Boolean)).toHaveLength(5);
    now += 300; // 3 tokens
    expect([limiter.take("k"), limiter.take("k"), limiter.take("k"), limiter.take("k")]).toEqual([true, true, true, false]);
    expect(limiter.take("other")).toBe(true);
  });

  test("forgets the least recently used key past maxKeys", () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => 0 });
    expect(limiter.take("a")).toBe(true);
    expect(limiter.take("b")).toBe(true);
    expect(limiter.take("c")).toBe(true);
    expect(limiter.size).toBe(2);
    // "a" was forgotten, so it starts with a full bucket again; "c" is still empty.
    expect(limiter.take("a")).toBe(true);
    expect(limiter.take("c")).toBe(false);
  });

  test("never admits more than burst + rate x elapsed time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }),
        (rate, burst, gaps) => {
          let now = 0;
          const limiter = new RateLimiter({ ratePerSecond: rate, burst, now: () => now });
          let admitted = 0;
          for (const gap of gaps) {
            now += gap;
            if (limiter.take("k")) admitted++;
          }
          expect(admitted).toBeLessThanOrEqual(burst + Math.floor((rate * now) / 1000) + 1);
        },
      ),
    );
  });
});
