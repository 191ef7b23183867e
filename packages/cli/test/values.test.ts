import { describe, expect, test } from "vitest";
import { each, once, parseByteSize, parseCount, parseDuration, parseHost, parseHostPort, parsePort, reportError, UsageError } from "../src/index.js";

describe("value types", () => {
  test("ports: 0-65535; 0 refused where a port is connected to; anything else one clear line", () => {
    expect(parsePort("0")).toBe(0);
    expect(parsePort(" 6667 ")).toBe(6667);
    expect(() => parsePort("0", { allowZero: false })).toThrow(/invalid port "0": use a number from 1 to 65535/);
    for (const bad of ["70000", "-1", "abc", "", "1.5", "0x50", "65536"]) expect(() => parsePort(bad)).toThrow(UsageError);
    expect(() => parsePort("70000")).toThrow(/^invalid port "70000": use a number from 0 to 65535$/);
  });

  test("durations, sizes and counts", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("30d")).toBe(2_592_000_000);
    expect(parseDuration("250")).toBe(250);
    expect(() => parseDuration("soon")).toThrow(/invalid duration "soon"/);
    expect(parseByteSize("64k")).toBe(65_536);
    expect(parseByteSize("1MiB")).toBe(1_048_576);
    expect(parseByteSize("65507")).toBe(65_507);
    expect(() => parseByteSize("10 parsecs")).toThrow(/invalid size/);
    expect(parseCount("3")).toBe(3);
    expect(parseCount("0", { min: 0 })).toBe(0);
    for (const bad of ["0", "-3", "abc", "2.5", ""]) expect(() => parseCount(bad)).toThrow(/invalid number .*: use a whole number 1 or more/);
    expect(() => parseCount("11", { min: 1, max: 10 })).toThrow(/from 1 to 10/);
  });

  test("hosts: addresses and names; dotted numbers that are no IPv4 address are refused", () => {
    expect(parseHost("127.0.0.1")).toBe("127.0.0.1");
    expect(parseHost("::1")).toBe("::1");
    expect(parseHost("[::1]")).toBe("::1");
    expect(parseHost("localhost")).toBe("localhost");
    expect(parseHost("irc.lab.example.")).toBe("irc.lab.example.");
    for (const bad of ["999.1.1.1", "1.2.3", "", "-bad.example", "a b", "under_score.example"]) expect(() => parseHost(bad)).toThrow(/invalid host/);
  });

  test("host:port in every spelling, with and without a default port", () => {
    expect(parseHostPort("127.0.0.1:5353")).toEqual({ host: "127.0.0.1", port: 5353 });
    expect(parseHostPort("[::1]:53")).toEqual({ host: "::1", port: 53 });
    expect(parseHostPort("::1", 53)).toEqual({ host: "::1", port: 53 });
    expect(parseHostPort("dns.example", 53)).toEqual({ host: "dns.example", port: 53 });
    expect(() => parseHostPort("127.0.0.1")).toThrow(/invalid address "127.0.0.1": use host:port/);
    expect(() => parseHostPort("127.0.0.1:0")).toThrow(/invalid address "127.0.0.1:0": invalid port/);
    expect(() => parseHostPort("999.1.1.1:53")).toThrow(/invalid host/);
  });

  test("once: a flag given twice or empty is refused by name; each parses every value", () => {
    const port = once("port", parsePort);
    expect(port("80")).toBe(80);
    expect(() => port(["0", "0"])).toThrow(/^--port given 2 times: give it once$/);
    expect(() => port("")).toThrow(/^--port needs a value$/);
    expect(() => port("abc")).toThrow(/^--port: invalid port "abc"/);
    expect(each("oper", (value) => value.toUpperCase())(["a", "b"])).toEqual(["A", "B"]);
    expect(() => each("oper", (value) => value)(["a", ""])).toThrow(/--oper needs a value/);
  });

  test("reportError: a usage error is one line and 2, a failure one line and 1, the stack only when debugging", () => {
    const lines: string[] = [];
    expect(reportError("tool", new UsageError("bad flag"), (line) => lines.push(line), [])).toBe(2);
    expect(reportError("tool", new Error("listen EADDRINUSE\n    at stack"), (line) => lines.push(line), [])).toBe(1);
    expect(lines).toEqual(["tool: bad flag (see --help)", "tool: listen EADDRINUSE"]);
    lines.length = 0;
    reportError("tool", new Error("boom"), (line) => lines.push(line), ["--log-level", "debug"]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Error: boom\n\s+at /);
  });
});
