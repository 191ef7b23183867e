// The package benchmark: speed, allocation and size against ipaddr.js, ip-address and ip,
// all in this one process. Prints markdown tables; exits 1 when a target is missed.
import net from "node:net";
import ip from "ip";
import { Address4, Address6 } from "ip-address";
import ipaddr from "ipaddr.js";
import { inetNtop, inetPton, inetPtonInto, parseAddress, parseIPv4ToNumber } from "../dist/index.js";
import { ipv4Texts, ipv6Bytes, flat } from "./inputs.js";
import { heapPerCall, timeCandidates } from "./measure.js";
import { bundleSize } from "./size.js";

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

const results = [];
let failed = false;
/** A target row; pass undefined makes it a figure reported beside the targets, not one. */
function row(what, ours, other, target, pass) {
  results.push({ what, ours, other, target, pass });
  if (pass === false) failed = true;
}
const fmt = (ns) => `${ns.toFixed(1)} ns`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

console.log(`node ${process.version}, ${v4.length} IPv4 and ${v6.length} IPv6 inputs, CPU time per call, best of 25 interleaved rounds\n`);

const into = new Uint8Array(16);
const parse4 = timeCandidates(
  {
    "inetPtonInto(4) (caller's buffer)": (s) => inetPtonInto(4, s, into),
    "parseIPv4ToNumber": (s) => parseIPv4ToNumber(s),
    "inetPton(4) (allocates the result)": (s) => inetPton(4, s),
    "net.isIPv4 (validate only)": (s) => net.isIPv4(s) || undefined,
    "ipaddr.js IPv4.parse().toByteArray()": (s) => ipaddr.IPv4.parse(s).toByteArray(),
    "ip-address new Address4().toArray()": (s) => new Address4(s).toArray(),
    "ip toBuffer()": (s) => ip.toBuffer(s),
  },
  v4,
);
const parse6 = timeCandidates(
  {
    "inetPton(6)": (s) => inetPton(6, s),
    "inetPtonInto(6) (caller's buffer)": (s) => inetPtonInto(6, s, into),
    "ipaddr.js IPv6.parse().toByteArray()": (s) => ipaddr.IPv6.parse(s).toByteArray(),
    "ip-address new Address6().toByteArray()": (s) => new Address6(s).toByteArray(),
    "ip toBuffer()": (s) => ip.toBuffer(s),
  },
  v6,
);
const indexes = Array.from({ length: 1024 }, (_, i) => i);
const format6 = timeCandidates(
  {
    "inetNtop(6)": (i) => inetNtop(6, v6Bytes[i]),
    "ipaddr.js toRFC5952String()": (i) => v6Ipaddr[i].toRFC5952String(),
    "ip-address correctForm()": (i) => v6IpAddress[i].correctForm(),
    "ip toString(buffer)": (i) => ip.toString(v6Buffers[i]),
  },
  indexes,
);
const parseAddr = timeCandidates(
  {
    "parseAddress (IPv4)": (s) => parseAddress(s),
    "ipaddr.js parse (IPv4)": (s) => ipaddr.parse(s),
  },
  v4,
);

for (const [title, times, ours] of [
  ["IPv4 text to bytes", parse4, "inetPtonInto(4) (caller's buffer)"],
  ["IPv6 text to bytes", parse6, "inetPton(6)"],
  ["IPv6 bytes to RFC 5952 text", format6, "inetNtop(6)"],
  ["IPv4 text to address object", parseAddr, "parseAddress (IPv4)"],
]) {
  console.log(`### ${title}\n\n| candidate | time per call | vs ${ours} |\n| --- | ---: | ---: |`);
  for (const [name, ns] of Object.entries(times)) console.log(`| ${name} | ${fmt(ns)} | ${ratio(ns, times[ours])} |`);
  console.log("");
}

// Against the libraries, the allocating inetPton (they allocate their results too).
const ours4 = parse4["inetPton(4) (allocates the result)"];
row("IPv4 parse (inetPton) vs ipaddr.js", fmt(ours4), fmt(parse4["ipaddr.js IPv4.parse().toByteArray()"]), ">= 4x faster", parse4["ipaddr.js IPv4.parse().toByteArray()"] / ours4 >= 4);
row("IPv4 parse (inetPton) vs ip-address", fmt(ours4), fmt(parse4["ip-address new Address4().toArray()"]), ">= 4x faster", parse4["ip-address new Address4().toArray()"] / ours4 >= 4);
// Against validation alone, text to bytes landing in the caller's buffer; the other forms are reported beside it.
const isIPv4 = parse4["net.isIPv4 (validate only)"];
const into4 = parse4["inetPtonInto(4) (caller's buffer)"];
row("IPv4 text to bytes (inetPtonInto) vs net.isIPv4", fmt(into4), fmt(isIPv4), `<= 1.5x its time (${ratio(into4, isIPv4)})`, into4 / isIPv4 <= 1.5);
row("IPv4 text to uint32 (parseIPv4ToNumber) vs net.isIPv4", fmt(parse4.parseIPv4ToNumber), fmt(isIPv4), `reported (${ratio(parse4.parseIPv4ToNumber, isIPv4)})`);
row("IPv4 text to a new Uint8Array (inetPton) vs net.isIPv4", fmt(ours4), fmt(isIPv4), `reported (${ratio(ours4, isIPv4)})`);
const ours6 = parse6["inetPton(6)"];
row("IPv6 parse vs ipaddr.js", fmt(ours6), fmt(parse6["ipaddr.js IPv6.parse().toByteArray()"]), ">= 8x faster", parse6["ipaddr.js IPv6.parse().toByteArray()"] / ours6 >= 8);
const oursFormat = format6["inetNtop(6)"];
row("RFC 5952 format vs ipaddr.js", fmt(oursFormat), fmt(format6["ipaddr.js toRFC5952String()"]), ">= 4x faster", format6["ipaddr.js toRFC5952String()"] / oursFormat >= 4);

// Allocation: heap kept per call, against allocating the bare result.
const heap = [
  ["inetPtonInto(4, text, buffer)", heapPerCall((s) => inetPtonInto(4, s, into), v4), "nothing", 0],
  ["inetPtonInto(6, text, buffer)", heapPerCall((s) => inetPtonInto(6, s, into), v6), "nothing", 0],
  ["inetPton(4, text)", heapPerCall((s) => inetPton(4, s), v4), "new Uint8Array(4)", heapPerCall(() => new Uint8Array(4), v4)],
  ["inetPton(6, text)", heapPerCall((s) => inetPton(6, s), v6), "new Uint8Array(16)", heapPerCall(() => new Uint8Array(16), v6)],
];
console.log("### Heap kept per call (results kept alive)\n\n| call | bytes | bare result | bytes |\n| --- | ---: | --- | ---: |");
for (const [name, bytes, bare, bareBytes] of heap) {
  console.log(`| ${name} | ${bytes.toFixed(1)} | ${bare} | ${bareBytes.toFixed(1)} |`);
  const slack = bareBytes === 0 ? 1 : 8;
  row(`${name} allocation`, `${bytes.toFixed(1)} B`, `${bareBytes.toFixed(1)} B`, bareBytes === 0 ? "nothing (1 B slack)" : "no more than the result (+8 B slack)", bytes <= bareBytes + slack);
}
console.log("");

// Size: whole library vs ipaddr.js, and one function alone to show tree-shaking.
const whole = await bundleSize('export * from "../dist/index.js";');
const one = await bundleSize('export { inetPton } from "../dist/index.js";');
const theirs = await bundleSize('export { default } from "ipaddr.js";');
console.log("### Minified + gzipped (esbuild --minify, gzip -9)\n\n| bundle | min | min+gzip |\n| --- | ---: | ---: |");
console.log(`| @netlab/ip-codec, everything | ${whole.min} B | ${whole.gzip} B |`);
console.log(`| @netlab/ip-codec, inetPton only | ${one.min} B | ${one.gzip} B |`);
console.log(`| ipaddr.js | ${theirs.min} B | ${theirs.gzip} B |\n`);
row("size, min+gzip", `${whole.gzip} B`, `${theirs.gzip} B`, "below ipaddr.js", whole.gzip < theirs.gzip);
row("tree-shaking", `${one.gzip} B`, `${whole.gzip} B`, "inetPton alone < half of everything", one.gzip * 2 < whole.gzip);

console.log("### Targets\n\n| target | ours | other | goal | result |\n| --- | ---: | ---: | --- | --- |");
for (const r of results) console.log(`| ${r.what} | ${r.ours} | ${r.other} | ${r.target} | ${r.pass === undefined ? "-" : r.pass ? "met" : "MISSED"} |`);
if (failed) {
  console.error("\nbench: a target was missed");
  process.exitCode = 1;
}
