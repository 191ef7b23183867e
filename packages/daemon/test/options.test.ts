import { expect, test } from "vitest";
import { cliParser, daemonConfig, daemonOptions, envPrefix, type DaemonArgs } from "../src/index.js";

function parse(args: string[], env: Record<string, string> = {}) {
  Object.assign(process.env, env);
  const errors: string[] = [];
  const codes: number[] = [];
  try {
    const argv = cliParser(args, { name: "demo-server", version: "1.2.3", usage: "$0", stderr: (l) => errors.push(l), exit: (c) => codes.push(c) })
      .options(daemonOptions({ port: 7000 }))
      .env(envPrefix("demo-server"))
      .exitProcess(false)
      .parseSync();
    return { config: codes.length ? undefined : daemonConfig(argv as unknown as DaemonArgs), errors, codes };
  } finally {
    for (const key of Object.keys(env)) Reflect.deleteProperty(process.env, key);
  }
}

test("defaults are safe: loopback, limits on, 10 s grace", () => {
  expect(parse([]).config).toEqual({
    host: "127.0.0.1",
    port: 7000,
    logLevel: "info",
    metricsPort: undefined,
    metricsHost: "127.0.0.1",
    shutdownGraceMs: 10_000,
    maxConnections: 10_000,
    maxPerAddress: 256,
    idleTimeoutMs: 300_000,
    workers: 1,
  });
});

test("flags set every option, durations take units", () => {
  const { config } = parse(["--host", "::1", "--port", "0", "--log-level", "debug", "--metrics-port", "9100", "--shutdown-grace", "2s", "--max-connections", "5", "--max-per-address", "1", "--idle-timeout", "750ms", "--workers", "3"]);
  expect(config).toMatchObject({ host: "::1", port: 0, logLevel: "debug", metricsPort: 9100, shutdownGraceMs: 2000, maxConnections: 5, maxPerAddress: 1, idleTimeoutMs: 750, workers: 3 });
});

test("NETLAB_<APP>_<FLAG> environment variables configure it, and flags win over them", () => {
  expect(envPrefix("demo-server")).toBe("NETLAB_DEMO_SERVER");
  const { config } = parse(["--port", "1"], { NETLAB_DEMO_SERVER_MAX_CONNECTIONS: "42", NETLAB_DEMO_SERVER_SHUTDOWN_GRACE: "3s", NETLAB_DEMO_SERVER_PORT: "2" });
  expect(config).toMatchObject({ maxConnections: 42, shutdownGraceMs: 3000, port: 1 });
});

test.each([
  [["--bogus"], /Unknown argument/],
  [["--log-level", "loud"], /Invalid values/],
  [["--shutdown-grace", "soon"], /invalid duration/],
])("usage error %j: one line on stderr and exit 2", (args, message) => {
  const { errors, codes } = parse(args);
  expect(codes).toContain(2);
  expect(errors[0]).toMatch(message);
  expect(errors[0]).toMatch(/^demo-server: /);
  expect(errors[0]).not.toContain("\n");
});

test("a port that is not a number is a usage error", () => {
  const { errors, codes } = parse(["--port", "http"]);
  expect(codes).toContain(2);
  expect(errors[0]).toMatch(/invalid port "http"/);
});
