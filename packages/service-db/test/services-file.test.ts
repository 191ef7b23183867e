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
  test("a port is matched as a whole number on the port field, not inside another number, an alias or a comment", () => {
    const parsed = parseServicesFile(["alt\t8080/tcp", "x80/tcp\t1/tcp\t80/tcp # 80/tcp", "zeros\t080/udp", "web\t80/tcp\twww", "late\t80/tcp"].join("\n"));
    expect(parsed.table.byPort(80, 0)).toMatchObject({ name: "web", aliases: ["www"] });
    expect(parsed.table.byPort(80, 1)?.name).toBe("zeros");
    expect(parsed.table.byPort(1, 0)).toMatchObject({ name: "x80/tcp", aliases: ["80/tcp"], description: "80/tcp" });
    expect(parsed.table.byPort(8, 0)).toBeUndefined();
    expect(parsed.table.byPort(80, 2)).toBeUndefined();
  });

  test("a name is matched as a whole name or alias, in any case, not inside another name or a comment", () => {
    const parsed = parseServicesFile(["https\t443/tcp\t# http over TLS", "WWW\t8000/udp\tHTTP", "http\t80/tcp\twww"].join("\n"));
    expect(parsed.table.byName("http", undefined)).toMatchObject({ name: "http", port: 80, protocol: "tcp" });
    expect(parsed.table.byName("http", 1)).toMatchObject({ name: "WWW", port: 8000, aliases: ["HTTP"] });
    expect(parsed.table.byName("www", 0)?.port).toBe(80);
    expect(parsed.table.byName("htt", undefined)).toBeUndefined();
    expect(parsed.table.byName("tls", undefined)).toBeUndefined();
  });

  test("a text whose lower case is longer still answers by name (every line is read then)", () => {
    // "İ" lower-cases to two code units, so offsets in the lower-case text no longer match.
    const parsed = parseServicesFile("İzmir\t1/tcp\t# İİİİİİİİİİ\nsvc\t2/udp\tAlias\nnext\t3/udp\n");
    expect(parsed.table.byName("alias", 1)?.port).toBe(2);
    expect(parsed.table.byName("i̇zmir", 0)?.port).toBe(1);
  });

  test("CRLF line ends, other blanks and a missing last line break are read as libc reads them", () => {
    const parsed = parseServicesFile("one\t1/tcp\tuno\r\ntwo\v2/udp\f# second\r\n\r\nthree 3/tcp");
    expect(parsed).toMatchObject({ entries: 3, malformedLines: 0 });
    expect(parsed.table.byPort(1, 0)?.aliases).toEqual(["uno"]);
    expect(parsed.table.byPort(2, 1)?.description).toBe("second");
    expect(parsed.table.byName("three", 0)?.port).toBe(3);
    expect(parsed.table.ports()).toEqual([1, 2, 3]);
  });

  test("answers agree with reading every line in order (the first entry for a port/protocol or a name wins)", () => {
    const name = fc.constantFrom("a", "b", "ab", "B", "a-b");
    const entry = fc
      .tuple(name, fc.constantFrom(0, 1, 8, 10, 80, 800, 8080, 65535), fc.constantFrom("tcp", "udp", "UDP", "sctp", "dccp", "ddp"), fc.array(name, { maxLength: 2 }))
      .map(([n, port, protocol, aliases]) => `${n}\t${String(port)}/${protocol}\t${aliases.join(" ")}`);
    const line = fc.oneof(entry, fc.constantFrom("# 80/tcp a", "", "b 8o/tcp", "a\t80 /tcp"));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const parsed = parseServicesFile(lines.join("\n"));
        const rows = lines.flatMap((l) => {
          const match = /^(\S+)\t(\d+)\/(tcp|udp|sctp|dccp)\t(.*)$/i.exec(l);
          return match === null ? [] : [{ names: [match[1] ?? "", ...(match[4] ?? "").split(" ").filter(Boolean)], port: Number(match[2]), protocol: ["tcp", "udp", "sctp", "dccp"].indexOf((match[3] ?? "").toLowerCase()) }];
        });
        for (const port of [0, 1, 8, 10, 80, 800, 8080, 65535]) {
          for (let protocol = 0; protocol < 4; protocol++) {
            const first = rows.find((r) => r.port === port && r.protocol === protocol);
            expect(parsed.table.byPort(port, protocol)?.name).toBe(first?.names[0]);
          }
        }
        for (const n of ["a", "b", "ab", "a-b"]) {
          for (let protocol = 0; protocol < 4; protocol++) {
            const first = rows.find((r) => r.protocol === protocol && r.names.some((x) => x.toLowerCase() === n));
            expect(parsed.table.byName(n, protocol)?.port).toBe(first?.port);
          }
        }
        expect(parsed.table.ports()).toEqual([...new Set(rows.map((r) => r.port))].sort((x, y) => x - y));
      }),
    );
  });
  test("names the file lacks stay misses however many are asked, and found names stay found", () => {
    const parsed = parseServicesFile("ssh\t22/tcp\nlater\t2000/tcp\n");
    expect(parsed.table.byName("ssh", 0)?.port).toBe(22);
    for (let i = 0; i < 3000; i++) expect(parsed.table.byName(`missing-${String(i)}`, undefined)).toBeUndefined();
    expect(parsed.table.byName("missing-1", undefined)).toBeUndefined();
    expect(parsed.table.byName("ssh", undefined)).toBe(parsed.table.byPort(22, 0));
    expect(parsed.table.byName("later", 0)?.port).toBe(2000);
  });
});
