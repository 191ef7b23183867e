import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { PROTOCOLS, type Protocol } from "../src/index.js";
import { PagedRegistry } from "../src/paged-registry.js";
import { encodeRegistry, pageRegistry, type RegistryRow } from "../src/registry-format.js";
import { RegistryIndex } from "../src/registry-index.js";
import type { ServiceIndex } from "../src/service-index.js";

/** Ports near the start, around page boundaries (1024 ports a page) and at the top. */
const BASES = [0, 1018, 2045, 65526];
const PORTS_TO_ASK = BASES.flatMap((base) => Array.from({ length: 16 }, (_, i) => base + i)).filter((p) => p <= 65535);

/** The text form read whole, and read in pages: both must answer alike. */
function indexes(rows: RegistryRow[]): [string, ServiceIndex][] {
  const text = encodeRegistry(rows);
  const pages = pageRegistry(text);
  return [
    ["whole", new RegistryIndex(text)],
    ["paged", new PagedRegistry((index) => pages[index] ?? "\n\n")],
  ];
}

/** Registry rows over a small port space so that ports, ranges and names collide often. */
const row: fc.Arbitrary<RegistryRow> = fc.record({
  name: fc.constantFrom("", "alpha", "beta", "Gamma", "delta-2", "tu", "t"),
  port: fc.oneof(
    fc.constant(""),
    fc.tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: 9 })).map(([b, o]) => String(b + o)),
    fc.tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 6 })).map(([b, o, n]) => `${String(b + o)}-${String(b + o + n)}`),
  ),
  protocol: fc.constantFrom("tcp", "udp", "sctp", "dccp", ""),
  description: fc.constantFrom("", "Some thing", "multi\nline  text", "tab\there"),
});

/** What a lookup should say, straight from the rows: first-registered name, then aliases, in row order. */
function model(rows: RegistryRow[], port: number, protocol: Protocol): { name: string; aliases: string[]; description: string } | undefined {
  const hits = rows.filter((r) => {
    if (r.name === "" || r.port === "" || r.protocol !== protocol) return false;
    const [first = 0, last = first] = r.port.split("-").map(Number);
    return first <= port && port <= last;
  });
  const [primary] = hits;
  if (primary === undefined) return undefined;
  const names = [...new Set(hits.map((h) => h.name))];
  return { name: primary.name, aliases: names.filter((n) => n !== primary.name), description: primary.description.replace(/\s+/g, " ").trim() };
}

describe("the registry text form", () => {
  test("answers by port exactly as the rows say, for any rows", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        for (const [, index] of indexes(rows)) {
          for (const port of PORTS_TO_ASK) {
            PROTOCOLS.forEach((protocol, i) => {
              const found = index.byPort(port, i);
              const expected = model(rows, port, protocol);
              expect(found === undefined ? undefined : { name: found.name, aliases: [...found.aliases], description: found.description ?? "" }).toEqual(expected);
            });
          }
          expect(index.ports()).toEqual(PORTS_TO_ASK.filter((port) => PROTOCOLS.some((protocol) => model(rows, port, protocol) !== undefined)));
        }
      }),
      { numRuns: 150 },
    );
  });

  test("finds every named row by its lower-case name at the name's lowest port on that protocol", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        for (const [, index] of indexes(rows)) {
          for (const r of rows) {
            if (r.name === "" || r.port === "" || r.protocol === "") continue;
            const i = PROTOCOLS.indexOf(r.protocol as Protocol);
            const lowest = Math.min(...rows.filter((o) => o.name === r.name && o.protocol === r.protocol && o.port !== "").map((o) => Number(o.port.split("-")[0])));
            const found = index.byName(r.name.toLowerCase(), i);
            expect(found?.port).toBe(lowest);
            expect([found?.name, ...(found?.aliases ?? [])]).toContain(r.name);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test.each([
    ["an unknown protocol", { name: "a", port: "1", protocol: "icmp", description: "" }, "unknown protocol"],
    ["a word for a port", { name: "a", port: "http", protocol: "tcp", description: "" }, "bad port"],
    ["a reversed range", { name: "a", port: "9-3", protocol: "tcp", description: "" }, "bad port range"],
    ["a port over 65535", { name: "a", port: "70000", protocol: "tcp", description: "" }, "bad port range"],
  ])("the generator refuses %s", (_, bad, message) => {
    expect(() => encodeRegistry([bad])).toThrow(message);
  });
});
