import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { findProgram } from "@netlab/test-kit";
import { describe, expect, test } from "vitest";
import { createServiceDb, PROTOCOLS, type Protocol } from "../src/index.js";
import { portsOf, readCsvRows } from "./iana-csv.js";

const SERVICES = "/etc/services";
const python = findProgram("python3", "python3");
const hasServices = existsSync(SERVICES);
if (!hasServices) {
  if (process.env.CI) throw new Error(`${SERVICES} is missing: install it with "apt-get install -y netbase"`);
  console.warn(`SKIPPED: ${SERVICES} not found: install it with "apt-get install -y netbase"`);
}

type Query = ["port", number, Protocol | null] | ["name", string, Protocol | null];

// One Python process answers every query through libc: None where the C call fails.
const ORACLE = `
import json, socket, sys
out = []
for kind, value, proto in json.load(sys.stdin):
    try:
        if kind == "port":
            out.append(socket.getservbyport(value, proto) if proto else socket.getservbyport(value))
        else:
            out.append(socket.getservbyname(value, proto) if proto else socket.getservbyname(value))
    except OSError:
        out.append(None)
json.dump(out, sys.stdout)
`;

function askLibc(queries: Query[]): (string | number | null)[] {
  const output = execFileSync(python.path ?? "python3", ["-c", ORACLE], { input: JSON.stringify(queries), timeout: 20_000 });
  return JSON.parse(output.toString("utf8")) as (string | number | null)[];
}

/** The entries of the system file with a protocol the library knows: name, port, protocol, aliases. */
function fileEntries(): { name: string; port: number; protocol: Protocol; aliases: string[] }[] {
  return readFileSync(SERVICES, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim().split(/\s+/))
    .filter((fields) => fields.length >= 2 && /^\d+\/\w+$/.test(fields[1] ?? ""))
    .map(([name = "", portProtocol = "", ...aliases]) => {
      const [port, protocol] = portProtocol.split("/");
      return { name, port: Number(port), protocol: protocol as Protocol, aliases };
    })
    .filter((e) => PROTOCOLS.includes(e.protocol));
}

describe.skipIf(python.skip || !hasServices)("agreement with the C library (Python's socket module) over /etc/services", () => {
  const db = createServiceDb({ servicesFile: SERVICES });
  const entries = hasServices ? fileEntries() : [];

  test("getServByPort and getServByName return what libc returns for every entry, with and without a protocol", () => {
    expect(entries.length).toBeGreaterThan(100);
    const queries: Query[] = [];
    for (const e of entries) {
      queries.push(["port", e.port, e.protocol], ["port", e.port, null]);
      for (const name of [e.name, ...e.aliases]) queries.push(["name", name, e.protocol], ["name", name, null]);
    }
    const libc = askLibc(queries);
    const ours = queries.map(([kind, value, protocol]) => {
      const p = protocol ?? undefined;
      return kind === "port" ? db.getServByPort(value, p) : db.getServByName(value, p);
    });
    const disagreements = queries.filter((_, i) => ours[i] !== libc[i]).map((q, i) => ({ q, ours: ours[i], libc: libc[i] }));
    expect(disagreements).toEqual([]);
    expect(libc).not.toContain(null);
  });

  const seeds = [
    [80, "tcp"],
    [25, "tcp"],
    [53, "udp"],
    [21, null],
    [22, null],
    [110, null],
  ] as const;

  test("the lab's table: 80/tcp, 25/tcp, 53/udp, 21, 22, 110 by port and back by name", () => {
    const names = askLibc(seeds.map(([port, protocol]) => ["port", port, protocol]));
    expect(names.every((name) => typeof name === "string")).toBe(true);
    const ports = askLibc(seeds.map(([, protocol], i) => ["name", names[i] as string, protocol]));
    seeds.forEach(([port, protocol], i) => {
      expect(db.getServByPort(port, protocol ?? undefined)).toBe(names[i]);
      expect(db.getServByName(names[i] as string, protocol ?? undefined)).toBe(ports[i]);
      expect(ports[i]).toBe(port);
    });
  });

  test("the system file takes precedence: 6667/tcp comes from the file, the embedded data says the IANA name", () => {
    const fromFile = entries.find((e) => e.port === 6667 && e.protocol === "tcp");
    const fromCsv = readCsvRows().find((r) => r.name !== "" && r.protocol === "tcp" && portsOf(r).includes(6667));
    expect(fromFile?.name).toBeDefined();
    expect(fromCsv?.name).toBeDefined();
    expect(fromFile?.name).not.toBe(fromCsv?.name);
    expect(db.getServByPort(6667, "tcp")).toBe(fromFile?.name);
    expect(askLibc([["port", 6667, "tcp"]])).toEqual([fromFile?.name]);
    expect(createServiceDb({ source: "embedded" }).getServByPort(6667, "tcp")).toBe(fromCsv?.name);
  });

  test("where libc fails, getServByPort and getServByName throw ServiceNotFoundError", () => {
    const missingPort = [...Array(65536).keys()].find((p) => p > 1024 && db.serviceByPort(p, "tcp") === undefined);
    expect(missingPort).toBeDefined();
    const port = missingPort ?? 0;
    expect(askLibc([["port", port, "tcp"], ["name", "no-such-service-here", "tcp"]])).toEqual([null, null]);
    // libc knows only the file; the library answers from the registry too, so probe a port neither has.
    expect(() => db.getServByPort(port, "tcp")).toThrow(`port ${String(port)}/tcp not found`);
    expect(() => db.getServByName("no-such-service-here", "tcp")).toThrow("service no-such-service-here/tcp not found");
  });
});
