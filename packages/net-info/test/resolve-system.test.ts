import { expect, test } from "vitest";
import { createResolver, resolve, reverse } from "../src/index.js";

// Only names /etc/hosts answers: the system resolver must not send anything off this machine.

test('resolve("localhost") through getaddrinfo includes 127.0.0.1 or ::1, without TTLs', async () => {
  const addresses = await resolve("localhost");
  expect(addresses.map(({ address }) => address)).toEqual(expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]));
  for (const entry of addresses) {
    expect(entry.family).toBe(entry.address.includes(":") ? 6 : 4);
    expect(entry.ttl).toBeUndefined();
  }
});

test('resolve("localhost", { family: 4 }) gives only IPv4', async () => {
  const addresses = await resolve("localhost", { family: 4 });
  expect(addresses.length).toBeGreaterThan(0);
  for (const entry of addresses) expect(entry.family).toBe(4);
});

test('reverse("127.0.0.1") through getnameinfo gives a name', async () => {
  const [name] = await reverse("127.0.0.1");
  expect(name).toMatch(/\S/);
});

test("a literal address needs no resolver at all", async () => {
  expect(await resolve("::1")).toEqual([{ address: "::1", family: 6 }]);
});

test("the system resolver's answers are cached for defaultTtl", async () => {
  const clock = { ms: 0 };
  const resolver = createResolver({ cache: { defaultTtl: 10, now: () => clock.ms } });
  const first = await resolver.resolve("localhost");
  expect(await resolver.resolve("localhost")).toEqual(first);
  clock.ms += 11_000;
  await resolver.resolve("localhost");
  expect(resolver.cacheStats()).toMatchObject({ hits: 1, misses: 2 });
});
