import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseServicesFile } from "../src/index.js";

const SAMPLE = [
  "# Network services, Internet style",
  "",
  "tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer",
  "discard\t\t9/tcp\t\tsink null",
  "discard\t\t9/udp\t\tsink null",
  "ircd\t\t6667/tcp\t\t\t# Internet Relay Chat",
  "second\t\t6667/tcp\t\tlater",
  "zip\t\t6/ddp\t\t\t# Zone Information Protocol",
  "sctp-svc\t\t9/sctp",
  "dccp-svc\t\t5000/dccp\t\tdd",
  "   indented   7/tcp   echo2  ",
].join("\n");

describe("parseServicesFile", () => {
  const file = parseServicesFile(SAMPLE);

  test("reads names, aliases, protocols and comments; skips other protocols and counts them", () => {
    expect(file).toMatchObject({ entries: 8, malformedLines: 0, otherProtocolLines: 1 });
    expect(file.table.byPort(9, 0)).toEqual({ name: "discard", port: 9, protocol: "tcp", aliases: ["sink", "null"], source: "system" });
    expect(file.table.byPort(1, 0)?.description).toBe("TCP port service multiplexer");
    expect(file.table.byPort(9, 2)?.name).toBe("sctp-svc");
    expect(file.table.byPort(5000, 3)?.aliases).toEqual(["dd"]);
    expect(file.table.byPort(7, 0)?.name).toBe("indented");
  });

  test("the first line for a port/protocol answers by port, later lines still answer by name", () => {
    expect(file.table.byPort(6667, 0)?.name).toBe("ircd");
    expect(file.table.byName("later", 0)).toMatchObject({ name: "second", port: 6667, aliases: ["later"] });
    expect(file.table.byName("null", undefined)).toMatchObject({ name: "discard", protocol: "tcp" });
    expect(file.table.byName("null", 1)).toMatchObject({ name: "discard", protocol: "udp" });
  });

  test.each([
    ["a name and nothing else", "lonely"],
    ["no protocol", "svc 80"],
    ["a word for a port", "svc http/tcp"],
    ["a port over 65535", "svc 65536/tcp"],
    ["a negative port", "svc -1/tcp"],
    ["a port and protocol without a slash", "svc 80tcp"],
  ])("skips and counts a malformed line: %s", (_, line) => {
    const parsed = parseServicesFile(`ok 1/tcp\n${line}\nok2 2/udp`);
    expect(parsed).toMatchObject({ entries: 2, malformedLines: 1 });
    expect(parsed.table.byPort(2, 1)?.name).toBe("ok2");
  });

  test("never throws, and every line that is not blank or a comment is an entry or counted", () => {
    const line = fc.oneof(
      fc.string(),
      fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.integer({ min: 0, max: 70000 }), fc.constantFrom("tcp", "udp", "sctp", "dccp", "ddp", "x")).map(([n, p, proto]) => `${n} ${String(p)}/${proto}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join("\n");
        const parsed = parseServicesFile(text);
        const counted = text.split("\n").filter((l) => l.replace(/#.*/, "").trim() !== "").length;
        expect(parsed.entries + parsed.malformedLines + parsed.otherProtocolLines).toBe(counted);
      }),
    );
  });

  test("a well-formed entry is found by port and by each of its names", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(
      fc.property(name, fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 3 }), fc.uniqueArray(name, { maxLength: 3 }), (n, port, protocol, aliases) => {
        const others = aliases.filter((a) => a !== n);
        const proto = ["tcp", "udp", "sctp", "dccp"][protocol] ?? "tcp";
        const parsed = parseServicesFile(`${n}\t${String(port)}/${proto}\t${others.join(" ")}`);
        expect(parsed.table.byPort(port, protocol)).toMatchObject({ name: n, port, protocol: proto, aliases: others });
        for (const alias of [n, ...others]) expect(parsed.table.byName(alias.toLowerCase(), protocol)?.port).toBe(port);
      }),
    );
  });
});
