import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createResolver, interfaces, resolve, reverse, ResolveError } from "../src/index.js";
import { dnsmasqProgram, startDnsmasq, type Dnsmasq } from "@netlab/test-kit";
import { labRecords } from "./fixtures/lab-records.js";

const program = dnsmasqProgram();
// Some containers have no IPv6, not even on loopback.
const ipv6Loopback = interfaces().some(({ address }) => address === "::1");

describe.skipIf(program.skip)("resolve and reverse against a real dnsmasq", () => {
  let dns: Dnsmasq;
  beforeAll(async () => {
    dns = await startDnsmasq({ ...labRecords, listen: ipv6Loopback ? ["127.0.0.1", "::1"] : ["127.0.0.1"] });
  });
  afterAll(async () => {
    await dns?.stop();
  });

  const sorted = (list: { address: string }[]): string[] => list.map(({ address }) => address).sort();

  test("A and AAAA records, each with its family and TTL", async () => {
    const addresses = await resolve("alpha.netlab.test", { servers: [dns.server] });
    expect(addresses).toEqual([
      { address: "10.9.8.7", family: 4, ttl: 300 },
      { address: "fd00::7", family: 6, ttl: 300 },
    ]);
  });

  test.each([
    [4, ["10.9.8.7"]],
    [6, ["fd00::7"]],
  ] as const)("family %i only", async (family, expected) => {
    expect(sorted(await resolve("alpha.netlab.test", { family, servers: [dns.server] }))).toEqual(expected);
  });

  test("follows a CNAME chain (www -> mid -> alpha)", async () => {
    expect(sorted(await resolve("www.netlab.test", { servers: [dns.server] }))).toEqual(["10.9.8.7", "fd00::7"]);
  });

  test("a name with many addresses gets all of them", async () => {
    const addresses = await resolve("many.netlab.test", { servers: [dns.server] });
    expect(sorted(addresses)).toEqual(["10.7.0.1", "10.7.0.2", "10.7.0.3", "10.7.0.4", "10.7.0.5", "10.7.0.6", "fd00::71", "fd00::72"]);
    expect(addresses.filter(({ family }) => family === 6)).toHaveLength(2);
  });

  test("a name with no AAAA: both families give its IPv4 address, family 6 is NO_DATA", async () => {
    expect(sorted(await resolve("v4only.netlab.test", { servers: [dns.server] }))).toEqual(["10.9.8.8"]);
    const error = await resolve("v4only.netlab.test", { family: 6, servers: [dns.server] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResolveError);
    expect(error).toMatchObject({ code: "NO_DATA", host: "v4only.netlab.test" });
  });

  test("a name with only AAAA", async () => {
    expect(await resolve("v6only.netlab.test", { servers: [dns.server] })).toEqual([{ address: "fd00::8", family: 6, ttl: 300 }]);
  });

  test.each([
    ["www.example.invalid", "NOT_FOUND", "could not resolve www.example.invalid: no such host"],
    ["missing.netlab.test", "NOT_FOUND", "could not resolve missing.netlab.test: no such host"],
    ["outside.example.org", "REFUSED", "could not resolve outside.example.org: the DNS server refused the query"],
    ["bad..name", "BAD_NAME", "could not resolve bad..name: not a valid host name: the name has an empty label"],
  ])("%s fails with %s", async (host, code, message) => {
    const error = await resolve(host, { servers: [dns.server] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResolveError);
    expect(error).toMatchObject({ code, host, message });
  });

  test.skipIf(!ipv6Loopback)("a server given as [::1]:PORT is queried over IPv6", async () => {
    expect(sorted(await resolve("alpha.netlab.test", { servers: [`[::1]:${dns.port}`] }))).toEqual(["10.9.8.7", "fd00::7"]);
  });

  test("reverse gives the PTR name of an address, IPv4 and IPv6", async () => {
    expect(await reverse("10.9.8.7", { servers: [dns.server] })).toEqual(["alpha.netlab.test"]);
    expect(await reverse("fd00::7", { servers: [dns.server] })).toEqual(["alpha.netlab.test"]);
  });

  test("reverse of an address without PTR is NOT_FOUND, of a non-address BAD_ADDRESS", async () => {
    await expect(reverse("10.99.0.1", { servers: [dns.server] })).rejects.toMatchObject({ code: "NOT_FOUND", operation: "reverse" });
    await expect(reverse("not-an-ip", { servers: [dns.server] })).rejects.toMatchObject({
      code: "BAD_ADDRESS",
      message: "could not reverse-resolve not-an-ip: not an IP address",
    });
  });

  test("many concurrent lookups on one resolver each get their own answer", async () => {
    const resolver = createResolver({ servers: [dns.server] });
    const hosts = Array.from({ length: 50 }, (_, i) => ["alpha", "v4only", "many", "www", "missing"][i % 5] + ".netlab.test");
    const results = await Promise.allSettled(hosts.map((host) => resolver.resolve(host, { family: 4 })));
    results.forEach((result, i) => {
      if (hosts[i]?.startsWith("missing")) expect(result.status).toBe("rejected");
      else expect(result.status).toBe("fulfilled");
    });
  });
});
