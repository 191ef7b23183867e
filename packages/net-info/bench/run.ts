// Resolves 1,000 distinct names from a local dnsmasq with 64 lookups in flight, through
// @netlab/net-info and through dns.promises.Resolver directly, in the same process, and
// compares a cached resolver's warm pass with its cold one. Prints one line per figure, saves
// bench/results/latest/resolve.json; exits 1 if a target is missed.
import { promises as dns } from "node:dns";
import { int, metricLine, newResult, ratio, runAlternating, saveResult, targetMet, type Metric, type Variant } from "@netlab/bench-kit";
import { dnsmasqProgram, startDnsmasq } from "@netlab/test-kit";
import { mapConcurrent } from "../dist/cli/map-concurrent.js";
import { createResolver } from "../dist/index.js";

const NAMES = 1_000;
const CONCURRENCY = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const THROUGHPUT_TARGET = 0.9; // at least 90% of dns.promises.Resolver
const CACHE_TARGET = 50; // cached lookups at least 50x faster
const packageDir = new URL("../", import.meta.url).pathname;

if (dnsmasqProgram().skip) {
  console.log("benchmark skipped: dnsmasq is not installed");
  process.exit(0);
}

interface Pass {
  /** Wall time of the pass, ms. */
  wall: number;
  /** This process's CPU time during the pass, ms. */
  cpu: number;
}

const names = Array.from({ length: NAMES }, (_, i) => `host${i}.bench.test`);
const hosts = names.flatMap((name, i) => [`10.20.${i >> 8}.${i & 0xff} ${name}`, `fd00::20:${i.toString(16)} ${name}`]);
const server = await startDnsmasq({ hosts, args: ["--local-ttl=300", "--local=/bench.test/"] });

// One pass over every name: wall time and this process's CPU time, in milliseconds.
async function pass(lookup: (name: string) => Promise<unknown>): Promise<Pass> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await mapConcurrent(names, CONCURRENCY, lookup);
  const wall = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / 1000 };
}

const total = (passes: readonly Pass[], field: keyof Pass): number => passes.reduce((sum, one) => sum + one[field], 0);
const perSecond = (passes: readonly Pass[]): number => (NAMES * passes.length) / (total(passes, "wall") / 1000);
const cpuMicros = (passes: readonly Pass[]): number => (total(passes, "cpu") * 1000) / (NAMES * passes.length);
const rates = (passes: readonly Pass[]): number[] => passes.map((one) => NAMES / (one.wall / 1000));

/**
 * Ours against theirs, measured in the same rounds: lookups/s (all passes together) with the
 * per-round ratio, CPU per lookup, and the throughput ratio held to `target` (the median of
 * the per-round ratios: a burst of load from elsewhere that hits one pass does not decide it).
 */
function compare(name: string, ours: readonly Pass[], otherName: string, theirs: readonly Pass[], target: number): Metric[] {
  const r = ratio(rates(ours), rates(theirs));
  return [
    { name: `${name}: lookups/s`, unit: "lookups/s", value: perSecond(ours), alternative: { name: otherName, value: perSecond(theirs) }, ratio: r },
    { name: `${name}: CPU per lookup`, unit: "us", value: cpuMicros(ours), alternative: { name: otherName, value: cpuMicros(theirs) }, note: "this process's CPU time" },
    {
      name: `${name}: throughput over ${otherName}'s`,
      unit: "x",
      value: r.median,
      range: { min: r.min, max: r.max },
      target: { min: target },
      note: `median of ${ROUNDS} per-round ratios; ${int(perSecond(ours))} vs ${int(perSecond(theirs))} lookups/s`,
    },
  ];
}

try {
  const direct = new dns.Resolver();
  direct.setServers([server.server]);
  const ours = createResolver({ servers: [server.server] });
  const checkA = (records: readonly unknown[]): void => {
    if (records.length !== 1) throw new Error(`expected one address, got ${records.length}`);
  };
  const scenarios: Record<string, (name: string) => Promise<unknown>> = {
    "dns.promises.Resolver resolve4": (name) => direct.resolve4(name, { ttl: true }).then(checkA),
    "net-info resolve, family 4": (name) => ours.resolve(name, { family: 4 }).then(checkA),
    "dns.promises.Resolver resolve4 + resolve6": (name) => Promise.all([direct.resolve4(name, { ttl: true }), direct.resolve6(name, { ttl: true })]),
    "net-info resolve, both families": (name) => ours.resolve(name),
  };
  // Warm-up: channels, JIT, dnsmasq's first answers.
  for (const lookup of Object.values(scenarios)) await pass(lookup);
  // A fresh cached resolver per round: its cold pass (all misses) goes to `cold`, its warm pass (all hits) is the variant's result.
  const cold: Pass[] = [];
  const variants: Variant<Pass>[] = Object.entries(scenarios).map(([name, lookup]) => ({ name, run: () => pass(lookup) }));
  variants.push({
    name: "cached, warm pass",
    run: async () => {
      const cached = createResolver({ servers: [server.server], cache: true });
      cold.push(await pass((name) => cached.resolve(name, { family: 4 })));
      return pass((name) => cached.resolve(name, { family: 4 }));
    },
  });
  // The machine is shared and noisy: every side runs in each round, in alternating order, for many rounds.
  const results = await runAlternating(variants, ROUNDS);
  const passes = (name: string): Pass[] => results.get(name) ?? [];

  const metrics = [
    ...compare("net-info resolve, family 4", passes("net-info resolve, family 4"), "dns.promises.Resolver resolve4", passes("dns.promises.Resolver resolve4"), THROUGHPUT_TARGET),
    ...compare("net-info resolve, both families", passes("net-info resolve, both families"), "dns.promises.Resolver resolve4 + resolve6", passes("dns.promises.Resolver resolve4 + resolve6"), THROUGHPUT_TARGET),
    ...compare("createResolver({ cache: true })", passes("cached, warm pass"), "the same resolver's cold pass", cold, CACHE_TARGET),
  ];
  console.log(`\n${NAMES} distinct names, ${CONCURRENCY} in flight, local dnsmasq; ${ROUNDS} rounds; ratio = median of per-round ratios; Node ${process.version}\n`);
  for (const metric of metrics) console.log(metricLine(metric));
  saveResult(packageDir, newResult({ package: "@netlab/net-info", bench: "resolve", command: "pnpm --filter @netlab/net-info bench", metrics }));
  const missed = metrics.filter((metric) => !targetMet(metric));
  if (missed.length > 0) {
    console.error(`\nbenchmark: missed ${missed.length} target(s): ${missed.map((metric) => metric.name).join("; ")}`);
    process.exitCode = 1;
  }
} finally {
  await server.stop();
}
