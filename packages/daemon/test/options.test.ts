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

// The value flags use @netlab/cli's value types through once(): one line naming the flag, exit 2.
test.each([
  [["--max-connections", "-5"], 'demo-server: --max-connections: invalid number "-5": use a whole number 0 or more (see --help)'],
  [["--max-per-address", "lots"], 'demo-server: --max-per-address: invalid number "lots": use a whole number 0 or more (see --help)'],
  [["--workers", "abc"], 'demo-server: --workers: invalid number "abc": use a whole number 1 or more (see --help)'],
  [["--workers", "0"], 'demo-server: --workers: invalid number "0": use a whole number 1 or more (see --help)'],
  [["--host", "999.1.1.1"], 'demo-server: --host: invalid host "999.1.1.1": use an IP address (127.0.0.1, ::1) or a host name (see --help)'],
  [["--metrics-host", "1.2.3"], 'demo-server: --metrics-host: invalid host "1.2.3": use an IP address (127.0.0.1, ::1) or a host name (see --help)'],
  [["--port", "70000"], 'demo-server: --port: invalid port "70000": use a number from 0 to 65535 (see --help)'],
  [["--metrics-port", "-1"], 'demo-server: --metrics-port: invalid port "-1": use a number from 0 to 65535 (see --help)'],
  [["--port", "0", "--port", "0"], "demo-server: --port given 2 times: give it once (see --help)"],
  [["--idle-timeout", "1m", "--idle-timeout", "2m"], "demo-server: --idle-timeout given 2 times: give it once (see --help)"],
])("a bad value %j is refused by name, one line, exit 2", (args, line) => {
  const { errors, codes, config } = parse(args);
  expect(config).toBeUndefined();
  expect(codes[0]).toBe(2);
  expect(errors).toEqual([line]);
});

test("--max-connections 0 and --max-per-address 0 still mean no limit; a bad environment value is refused like a flag", () => {
  expect(parse(["--max-connections", "0", "--max-per-address", "0"]).config).toMatchObject({ maxConnections: 0, maxPerAddress: 0 });
  expect(parse([], { NETLAB_DEMO_SERVER_WORKERS: "many" }).errors).toEqual(['demo-server: --workers: invalid number "many": use a whole number 1 or more (see --help)']);
});

test("daemonConfig checks values that did not go through the parser", () => {
  const args = { host: "127.0.0.1", port: "7000", logLevel: "info", metricsPort: undefined, metricsHost: "127.0.0.1", shutdownGrace: "1s", maxConnections: 5, maxPerAddress: 1, idleTimeout: "0", workers: "2" };
  expect(daemonConfig(args)).toMatchObject({ port: 7000, shutdownGraceMs: 1000, idleTimeoutMs: 0, workers: 2 });
  expect(() => daemonConfig({ ...args, workers: "abc" })).toThrow(/invalid number "abc"/);
  expect(() => daemonConfig({ ...args, port: 70_000 })).toThrow(/invalid port "70000"/);
});

test("cliParser is @netlab/cli's: a one-value flag given twice is refused by name, an unknown flag is named before or after a positional", async () => {
  const cli = await import("@netlab/cli");
  expect(cliParser).toBe(cli.cliParser);
  expect(parse(["--log-level", "debug", "--log-level", "warn"]).errors).toEqual(["demo-server: --log-level given 2 times: give it once (see --help)"]);
  const named = (args: string[]): string[] => {
    const errors: string[] = [];
    cliParser(args, { name: "demo", version: "1", usage: "$0 <file>", stderr: (l) => errors.push(l), exit: () => undefined })
      .command("$0 <file>", "do it")
      .options(daemonOptions({ port: 7000 }))
      .exitProcess(false)
      .parseSync();
    return errors;
  };
  expect(named(["--bogus", "x"])).toEqual(["demo: Unknown argument: --bogus (see --help)"]);
  expect(named(["x", "--bogus"])).toEqual(["demo: Unknown argument: --bogus (see --help)"]);
});
