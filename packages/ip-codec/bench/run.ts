// The package benchmark: speed, allocation and size against ipaddr.js, ip-address and ip, all
// in this one process. Prints tables and the target lines, saves bench/results/latest/codec.json
// (the targets) and candidates.json (every candidate's time); exits 1 when a target is missed.
import net from "node:net";
import { fixed, metricLine, newResult, ratio, saveResult, targetMet, times, type Metric } from "@netlab/bench-kit";
import ip from "ip";
import { Address4, Address6 } from "ip-address";
import ipaddr from "ipaddr.js";
import { inetNtop, inetPton, inetPtonInto, parseAddress, parseIPv4ToNumber } from "../dist/index.js";
import { flat, ipv4Texts, ipv6Bytes } from "./inputs.js";
import { heapPerCall, timeCandidates } from "./measure.js";
import { bundleSize } from "./size.js";

const PACKAGE = "@netlab/ip-codec";
const COMMAND = "pnpm --filter @netlab/ip-codec bench";
const ROUNDS = 25;
const packageDir = new URL("../", import.meta.url).pathname;

if (typeof globalThis.gc !== "function") {
  console.error("bench: run with node --expose-gc (pnpm --filter @netlab/ip-codec bench does)");
  process.exit(2);
}

const v4 = ipv4Texts();
const v6Bytes = ipv6Bytes();
const v6 = flat(v6Bytes.map((bytes) => inetNtop(6, bytes)));
const v6Ipaddr = v6.map((text) => ipaddr.IPv6.parse(text));
const v6IpAddress = v6.map((text) => new Address6(text));
const v6Buffers = v6Bytes.map((bytes) => Buffer.from(bytes));
const best = (rounds: readonly number[]): number => Math.min(...rounds);
const ns = (rounds: readonly number[]): string => `${fixed(best(rounds))} ns`;

console.log(`node ${process.version}, ${v4.length} IPv4 and ${v6.length} IPv6 inputs, CPU time per call, best of ${ROUNDS} interleaved rounds\n`);

const into = new Uint8Array(16);
const parse4 = timeCandidates<string>(
  {
    "inetPtonInto(4) (caller's buffer)": (s) => inetPtonInto(4, s, into),
    parseIPv4ToNumber: (s) => parseIPv4ToNumber(s),
    "inetPton(4) (allocates the result)": (s) => inetPton(4, s),
    "net.isIPv4 (validate only)": (s) => net.isIPv4(s) || undefined,
    "ipaddr.js IPv4.parse().toByteArray()": (s) => ipaddr.IPv4.parse(s).toByteArray(),
    "ip-address new Address4().toArray()": (s) => new Address4(s).toArray(),
    "ip toBuffer()": (s) => ip.toBuffer(s),
  },
  v4,
  { rounds: ROUNDS },
);
const parse6 = timeCandidates<string>(
  {
    "inetPton(6)": (s) => inetPton(6, s),
    "inetPtonInto(6) (caller's buffer)": (s) => inetPtonInto(6, s, into),
    "ipaddr.js IPv6.parse().toByteArray()": (s) => ipaddr.IPv6.parse(s).toByteArray(),
    "ip-address new Address6().toByteArray()": (s) => new Address6(s).toByteArray(),
    "ip toBuffer()": (s) => ip.toBuffer(s),
  },
  v6,
  { rounds: ROUNDS },
);
const indexes = Array.from({ length: 1024 }, (_, i) => i);
const format6 = timeCandidates<number>(
  {
    "inetNtop(6)": (i) => inetNtop(6, v6Bytes[i] as Uint8Array),
    "ipaddr.js toRFC5952String()": (i) => v6Ipaddr[i]?.toRFC5952String(),
    "ip-address correctForm()": (i) => v6IpAddress[i]?.correctForm(),
    "ip toString(buffer)": (i) => ip.toString(v6Buffers[i] as Buffer),
  },
  indexes,
  { rounds: ROUNDS },
);
const parseAddr = timeCandidates<string>(
  {
    "parseAddress (IPv4)": (s) => parseAddress(s),
    "ipaddr.js parse (IPv4)": (s) => ipaddr.parse(s),
  },
  v4,
  { rounds: ROUNDS },
);

/** One candidate's rounds; throws on a name the tables do not have (a typo here). */
function roundsOf(table: Record<string, number[]>, name: string): number[] {
  const rounds = table[name];
  if (!rounds) throw new Error(`no candidate named ${name}`);
  return rounds;
}

// Every candidate's time, against the table's reference (ours).
const candidates: Metric[] = [];
for (const [title, table, ours] of [
  ["IPv4 text to bytes", parse4, "inetPtonInto(4) (caller's buffer)"],
  ["IPv6 text to bytes", parse6, "inetPton(6)"],
  ["IPv6 bytes to RFC 5952 text", format6, "inetNtop(6)"],
  ["IPv4 text to address object", parseAddr, "parseAddress (IPv4)"],
] as const) {
  const reference = roundsOf(table, ours);
  console.log(`### ${title}\n\n| candidate | time per call | vs ${ours} |\n| --- | ---: | ---: |`);
  for (const [name, rounds] of Object.entries(table)) {
    const r = ratio(rounds, reference, { better: "lower" });
    console.log(`| ${name} | ${ns(rounds)} | ${times(r.best)} |`);
    const metric: Metric = { name: `${title}: ${name}`, unit: "ns", value: best(rounds), note: `CPU time per call, best of ${ROUNDS} rounds` };
    if (name !== ours) Object.assign(metric, { alternative: { name: ours, value: best(reference) }, ratio: r });
    candidates.push(metric);
  }
  console.log("");
}

/** A ratio of two candidates' times (best round over best round), ranged over the rounds, with an optional target. */
function timeRatio(name: string, a: readonly number[], b: readonly number[], target?: Metric["target"]): Metric {
  const r = ratio(a, b, { better: "lower" });
  const metric: Metric = { name, unit: "x", value: r.best, range: { min: r.min, max: r.max }, note: `${ns(a)} vs ${ns(b)} per call, CPU time, best of ${ROUNDS} rounds` };
  return target ? { ...metric, target } : metric;
}

// Against the libraries, the allocating inetPton (they allocate their results too): their time over ours.
const ours4 = roundsOf(parse4, "inetPton(4) (allocates the result)");
const isIPv4 = roundsOf(parse4, "net.isIPv4 (validate only)");
const targets: Metric[] = [
  // Against validation alone, text to bytes landing in the caller's buffer; the other forms are reported beside it.
  timeRatio("IPv4 text to bytes in your buffer, inetPtonInto(4), time over net.isIPv4's", roundsOf(parse4, "inetPtonInto(4) (caller's buffer)"), isIPv4, { max: 1.5 }),
  timeRatio("IPv4 text to a uint32, parseIPv4ToNumber, time over net.isIPv4's", roundsOf(parse4, "parseIPv4ToNumber"), isIPv4),
  timeRatio("IPv4 text to a new Uint8Array, inetPton(4), time over net.isIPv4's", ours4, isIPv4),
  timeRatio("IPv4 text to bytes, inetPton(4), faster than ipaddr.js IPv4.parse().toByteArray() by", roundsOf(parse4, "ipaddr.js IPv4.parse().toByteArray()"), ours4, { min: 4 }),
  timeRatio("IPv4 text to bytes, inetPton(4), faster than ip-address new Address4().toArray() by", roundsOf(parse4, "ip-address new Address4().toArray()"), ours4, { min: 4 }),
  timeRatio("IPv6 text to bytes, inetPton(6), faster than ipaddr.js IPv6.parse().toByteArray() by", roundsOf(parse6, "ipaddr.js IPv6.parse().toByteArray()"), roundsOf(parse6, "inetPton(6)"), { min: 8 }),
  timeRatio("RFC 5952 formatting, inetNtop(6), faster than ipaddr.js toRFC5952String() by", roundsOf(format6, "ipaddr.js toRFC5952String()"), roundsOf(format6, "inetNtop(6)"), { min: 4 }),
];

// Allocation: heap kept per call, against allocating the bare result (1 B slack for nothing, 8 B beside a result).
const heap: [string, number, string, number][] = [
  ["inetPtonInto(4, text, buffer)", heapPerCall((s) => inetPtonInto(4, s, into), v4), "nothing", 0],
  ["inetPtonInto(6, text, buffer)", heapPerCall((s) => inetPtonInto(6, s, into), v6), "nothing", 0],
  ["inetPton(4, text)", heapPerCall((s) => inetPton(4, s), v4), "new Uint8Array(4)", heapPerCall(() => new Uint8Array(4), v4)],
  ["inetPton(6, text)", heapPerCall((s) => inetPton(6, s), v6), "new Uint8Array(16)", heapPerCall(() => new Uint8Array(16), v6)],
];
console.log("### Heap kept per call (results kept alive)\n\n| call | bytes | bare result | bytes |\n| --- | ---: | --- | ---: |");
for (const [name, bytes, bare, bareBytes] of heap) {
  console.log(`| ${name} | ${fixed(bytes)} | ${bare} | ${fixed(bareBytes)} |`);
  const slack = bareBytes === 0 ? 1 : 8;
  targets.push({ name: `heap kept per ${name} call`, unit: "B", value: bytes, alternative: { name: bare, value: bareBytes }, target: { max: bareBytes + slack }, note: "least of 3 runs of 200,000 calls" });
}
console.log("");

// Size: whole library vs ipaddr.js, and one function alone to show tree-shaking.
const whole = await bundleSize('export * from "../dist/index.js";');
const one = await bundleSize('export { inetPton } from "../dist/index.js";');
const theirs = await bundleSize('export { default } from "ipaddr.js";');
console.log("### Minified + gzipped (esbuild --minify, gzip -9)\n\n| bundle | min | min+gzip |\n| --- | ---: | ---: |");
console.log(`| ${PACKAGE}, everything | ${whole.min} B | ${whole.gzip} B |`);
console.log(`| ${PACKAGE}, inetPton only | ${one.min} B | ${one.gzip} B |`);
console.log(`| ipaddr.js | ${theirs.min} B | ${theirs.gzip} B |\n`);
targets.push({ name: "whole library, esbuild --minify + gzip -9", unit: "B", value: whole.gzip, alternative: { name: "ipaddr.js", value: theirs.gzip }, target: { max: theirs.gzip - 1 }, note: "below ipaddr.js" });
// Tree-shaking: inetPton alone under half of everything.
targets.push({ name: "inetPton alone, same bundling", unit: "B", value: one.gzip, alternative: { name: "whole library", value: whole.gzip }, target: { max: Math.ceil(whole.gzip / 2) - 1 }, note: "tree-shakeable: under half of the whole library" });

console.log("### Targets\n");
for (const metric of targets) console.log(metricLine(metric));
saveResult(packageDir, newResult({ package: PACKAGE, bench: "codec", command: COMMAND, metrics: targets }));
saveResult(packageDir, newResult({ package: PACKAGE, bench: "candidates", command: COMMAND, metrics: candidates }));
if (!targets.every(targetMet)) {
  console.error("\nbench: a target was missed");
  process.exitCode = 1;
}
