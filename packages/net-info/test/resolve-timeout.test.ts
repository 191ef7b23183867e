import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createResolver, resolve, reverse } from "../src/index.js";
import { startSilentDnsServer, type SilentDnsServer } from "./fixtures/silent-dns-server.js";

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe("a DNS server that never answers", () => {
  let silent: SilentDnsServer;
  beforeAll(async () => {
    silent = await startSilentDnsServer();
  });
  afterAll(async () => {
    await silent?.close();
  });

  test.each([200, 600])("a %i ms timeout fires within the deadline plus a little", async (timeoutMs) => {
    const started = performance.now();
    const error = await resolve("slow.netlab.test", { servers: [silent.server], timeoutMs }).catch((caught: unknown) => caught);
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: "TIMEOUT", message: `could not resolve slow.netlab.test: timed out after ${timeoutMs} ms` });
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsed).toBeLessThan(timeoutMs + 250);
  });

  test("reverse times out too", async () => {
    await expect(reverse("10.0.0.1", { servers: [silent.server], timeoutMs: 200 })).rejects.toMatchObject({
      code: "TIMEOUT",
      operation: "reverse",
    });
  });

  test("an aborted signal stops the lookup: no retries reach the server afterwards", async () => {
    // Per-try timeout is a third of 900 ms, so c-ares would retry at about 300 ms.
    const resolver = createResolver({ servers: [silent.server], timeoutMs: 900 });
    const before = silent.received();
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await expect(resolver.resolve("abort.netlab.test", { family: 4, signal: controller.signal })).rejects.toMatchObject({ code: "ABORTED" });
    expect(performance.now() - started).toBeLessThan(250);
    await sleep(800);
    expect(silent.received() - before).toBe(1);
  });

  test("without a signal, c-ares retries within the deadline (the query is really sent)", async () => {
    const before = silent.received();
    await expect(resolve("retry.netlab.test", { family: 4, servers: [silent.server], timeoutMs: 900 })).rejects.toMatchObject({
      code: "TIMEOUT",
    });
    expect(silent.received() - before).toBeGreaterThanOrEqual(2);
  });

  test("an already aborted signal rejects at once, sending nothing", async () => {
    const before = silent.received();
    await expect(resolve("never.netlab.test", { servers: [silent.server], signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "ABORTED",
    });
    await sleep(50);
    expect(silent.received()).toBe(before);
  });

  test("a literal IP address resolves to itself without a query", async () => {
    const before = silent.received();
    expect(await resolve("192.0.2.10", { servers: [silent.server] })).toEqual([{ address: "192.0.2.10", family: 4 }]);
    expect(await resolve("[2001:db8::5]", { servers: [silent.server] })).toEqual([{ address: "2001:db8::5", family: 6 }]);
    await expect(resolve("192.0.2.10", { family: 6, servers: [silent.server] })).rejects.toMatchObject({ code: "NO_DATA" });
    expect(silent.received()).toBe(before);
  });
});
