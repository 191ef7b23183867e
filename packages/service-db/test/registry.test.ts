import { describe, expect, test } from "vitest";
import { embeddedRegistryPage } from "../src/embedded-registry.js";
import { createServiceDb, PROTOCOLS, type Protocol } from "../src/index.js";
import { PAGE_COUNT } from "../src/paged-registry.js";
import { encodeRegistry, pageRegistry } from "../src/registry-format.js";
import { portsOf, readCsvRows } from "./iana-csv.js";

const rows = readCsvRows();
const db = createServiceDb({ source: "embedded" });
const fold = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Names per port/protocol in registry (CSV) order, derived here without the library's code. */
function expectedSlots(): Map<string, { names: string[]; description: string; range: string }> {
  const slots = new Map<string, { names: string[]; description: string; range: string }>();
  for (const row of rows) {
    if (row.name === "" || row.protocol === "") continue;
    for (const port of portsOf(row)) {
      const key = `${String(port)}/${row.protocol}`;
      const slot = slots.get(key);
      if (slot === undefined) slots.set(key, { names: [row.name], description: fold(row.description), range: row.port.includes("-") ? row.port : "" });
      else if (!slot.names.includes(row.name)) slot.names.push(row.name);
    }
  }
  return slots;
}

describe("the committed embedded registry", () => {
  test("is what the generator makes from the committed CSV", () => {
    const committed = Array.from({ length: PAGE_COUNT }, (_, index) => embeddedRegistryPage(index));
    expect(committed).toEqual(pageRegistry(encodeRegistry(rows)));
  });

  test("answers every port/protocol of the CSV with its first-registered name, aliases and description", () => {
    const slots = expectedSlots();
    expect(slots.size).toBeGreaterThan(11_000);
    for (const [key, slot] of slots) {
      const [port, protocol] = key.split("/") as [string, Protocol];
      const found = db.serviceByPort(Number(port), protocol);
      expect({ key, name: found?.name, aliases: found?.aliases, description: found?.description ?? "" }).toEqual({
        key,
        name: slot.names[0],
        aliases: slot.names.slice(1),
        description: slot.description,
      });
      if (slot.range !== "") expect(`${String(found?.range?.first)}-${String(found?.range?.last)}`).toBe(slot.range);
    }
    expect([...db.listServices()]).toHaveLength(slots.size);
  });

  test("finds every named row by name, port rows on their protocol", () => {
    for (const row of rows) {
      if (row.name === "") continue;
      const protocol = row.protocol === "" ? undefined : (row.protocol as Protocol);
      const found = db.serviceByName(row.name, protocol);
      expect(found, `${row.name}/${row.protocol}`).toBeDefined();
      if (protocol !== undefined && row.port !== "") {
        expect(found?.protocol).toBe(protocol);
        // Its answer on that port names it (as primary or alias), at the name's first port.
        expect([found?.name, ...(found?.aliases ?? [])]).toContain(row.name);
      }
    }
  });

  test.each([
    ["80", "tcp"],
    ["25", "tcp"],
    ["53", "udp"],
    ["9900", "tcp"],
    ["6667", "tcp"],
  ] as const)("%s/%s is the first CSV row covering it", (port, protocol) => {
    const row = rows.find((r) => r.name !== "" && r.protocol === protocol && portsOf(r).includes(Number(port)));
    expect(row).toBeDefined();
    expect(db.getServByPort(Number(port), protocol)).toBe(row?.name);
  });

  test("80/tcp is http with aliases www and www-http, 6667/tcp comes from the range 6665-6669", () => {
    expect(db.serviceByPort(80, "tcp")).toMatchObject({ name: "http", aliases: ["www", "www-http"], source: "iana" });
    expect(db.serviceByPort(6667, "tcp")).toMatchObject({ name: "ircu", range: { first: 6665, last: 6669 } });
    expect(db.serviceByPort(9900, "tcp")?.name).toBe("iua");
  });

  test("a name-only registration is found by name, with no port", () => {
    const nameOnly = rows.find((r) => r.name !== "" && r.port === "" && !rows.some((o) => o.name === r.name && o.port !== ""));
    expect(nameOnly).toBeDefined();
    const found = db.serviceByName(nameOnly?.name ?? "");
    expect(found).toMatchObject({ name: nameOnly?.name, port: undefined });
    expect(() => db.getServByName(nameOnly?.name ?? "")).toThrow(/not found/);
  });

  test("with no protocol, tcp is tried first, then udp, then sctp (no port has dccp alone)", () => {
    expect(db.serviceByPort(80)?.protocol).toBe("tcp");
    for (const protocol of ["udp", "sctp"] as const) {
      const earlier = PROTOCOLS.slice(0, PROTOCOLS.indexOf(protocol));
      const only = rows.find((r) => r.name !== "" && r.protocol === protocol && !r.port.includes("-") && r.port !== "" && !earlier.some((p) => db.serviceByPort(Number(r.port), p)));
      expect(only, protocol).toBeDefined();
      expect(db.serviceByPort(Number(only?.port))?.protocol).toBe(protocol);
    }
  });
});
