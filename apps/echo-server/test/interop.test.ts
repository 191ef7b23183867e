import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { createEchoServer, type EchoServer } from "../src/index.js";
import { patternBytes } from "./round-trip.js";
import { runClient } from "./run-client.js";

const socat = findProgram("socat", "socat");
const ncat = findProgram("ncat", "ncat");
const nc = findProgram("nc", "netcat-openbsd");

let server: EchoServer;
let port: number;
beforeAll(async () => {
  server = createEchoServer({ port: 0 });
  const [tcp] = await server.listen();
  port = tcp?.port ?? 0;
});
afterAll(() => server.close());

const bulk = patternBytes(2 * 1024 * 1024, 7);

describe.skipIf(socat.skip)("socat as a client", () => {
  test("TCP: 2 MiB through, and socat's half-close at end of input ends the echo", async () => {
    const run = await runClient("socat", ["-t", "5", "-", `TCP:127.0.0.1:${port}`], bulk);
    expect(run.code).toBe(0);
    expect(run.stdout.equals(bulk)).toBe(true);
  });

  test("UDP: a datagram comes back", async () => {
    const run = await runClient("socat", ["-t", "1", "-", `UDP4:127.0.0.1:${port}`], "over udp\n");
    expect(run.stdout.toString()).toBe("over udp\n");
  });
});

describe.skipIf(nc.skip)("netcat-openbsd (nc) as a client", () => {
  test("TCP with -N: closes its write side at end of input and gets every byte back", async () => {
    const run = await runClient("nc", ["-N", "127.0.0.1", String(port)], bulk);
    expect(run.code).toBe(0);
    expect(run.stdout.equals(bulk)).toBe(true);
  });

  test("IPv6 is refused cleanly when the server is on IPv4 only", async () => {
    const run = await runClient("nc", ["-N", "::1", String(port)], "x");
    expect(run.code).not.toBe(0);
  });

  test("UDP: a line comes back", async () => {
    const run = await runClient("nc", ["-u", "-w", "1", "127.0.0.1", String(port)], "nc udp\n");
    expect(run.stdout.toString()).toBe("nc udp\n");
  });
});

describe.skipIf(ncat.skip)("ncat as a client", () => {
  test("TCP: 2 MiB through and back", async () => {
    const run = await runClient("ncat", ["127.0.0.1", String(port)], bulk);
    expect(run.code).toBe(0);
    expect(run.stdout.equals(bulk)).toBe(true);
  });

  test("UDP: a line comes back", async () => {
    // ncat -u quits as soon as its stdin ends, so stdin stays open until the reply is in.
    const run = await runClient("ncat", ["-u", "127.0.0.1", String(port)], "ncat udp\n", 3000, 1000);
    expect(run.stdout.toString()).toBe("ncat udp\n");
  });
});
