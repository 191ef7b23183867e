import { afterEach, describe, expect, test } from "vitest";
import { freePort } from "@netlab/test-kit";
import { probe, type EchoTarget, type ProbeStep } from "../src/index.js";
import { expectFailure } from "./expect-failure.js";
import { startTestServer } from "./test-servers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function server(kind: Parameters<typeof startTestServer>[0], host = "127.0.0.1"): Promise<EchoTarget> {
  const s = await startTestServer(kind, host);
  closers.push(s.close);
  return { host, port: s.port, transport: "tcp", timeoutMs: 1000 };
}


describe("probe", () => {
  test("connects, sends, receives the same bytes and closes, reporting each step", async () => {
    const steps: ProbeStep["step"][] = [];
    const result = await probe({ target: await server("echo"), message: Buffer.from("Test message: SDN course examples"), onStep: (s) => steps.push(s.step) });
    expect(steps).toEqual(["connect", "send", "receive", "close"]);
    expect(result.echo?.toString()).toBe("Test message: SDN course examples");
    expect(result).toMatchObject({ sent: 1, received: 1, mismatched: 0 });
  });

  test("--count: one round trip per message over one connection, with latency statistics", async () => {
    const result = await probe({ target: await server("echo"), message: Buffer.from("ping"), count: 5, intervalMs: 10 });
    expect(result).toMatchObject({ sent: 5, received: 5, mismatched: 0 });
    expect(result.rtt.count).toBe(5);
    expect(result.rtt.min).toBeGreaterThan(0);
    expect(result.rtt.min).toBeLessThanOrEqual(result.rtt.p50);
    expect(result.rtt.p50).toBeLessThanOrEqual(result.rtt.p99);
    expect(result.rtt.p99).toBeLessThanOrEqual(result.rtt.max);
  });

  test("IPv6 loopback", async () => {
    const result = await probe({ target: await server("echo", "::1"), message: Buffer.from("six") });
    expect(result.echo?.toString()).toBe("six");
  });

  test("an echo that differs is counted as mismatched", async () => {
    const result = await probe({ target: await server("corrupt"), message: Buffer.from("abc") });
    expect(result.mismatched).toBe(1);
    expect(result.echo?.toString()).toBe("ABC");
  });

  test.each([
    ["silent", "READ_TIMEOUT", /no full echo from 127\.0\.0\.1:\d+ within 1000 ms/],
    ["reset", "RESET", /connection reset by/],
    ["short", "CLOSED_EARLY", /closed the connection after 5 of 10 bytes/],
  ] as const)("a %s server gives %s", async (kind, code, message) => {
    const error = await expectFailure(probe({ target: await server(kind), message: Buffer.from("0123456789") }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  test("nothing listening: REFUSED", async () => {
    const port = await freePort();
    const error = await expectFailure(probe({ target: { host: "127.0.0.1", port, transport: "tcp", timeoutMs: 1000 }, message: Buffer.from("x") }));
    expect(error.code).toBe("REFUSED");
    expect(error.message).toBe(`connection refused by 127.0.0.1:${port}: is an echo server running there?`);
  });
});
