import { expect, test } from "vitest";
import { barChartSvg } from "../src/bar-chart.js";
import { benchOutput, missedTargets, pairSeries, parseTables, ratioSeries } from "../src/bench-tables.js";

const log = `npm warn Unknown user config "nodedir".

> @netlab/ip-codec@0.0.0 bench /work/main/packages/ip-codec
> node bench/run.js

### IPv4 text to bytes

| candidate | time per call | vs inetPton(4) |
| --- | ---: | ---: |
| inetPton(4) | 53.3 ns | 1.00x |
| ipaddr.js IPv4.parse() | 331.8 ns | 6.23x |
| ip toBuffer() | 323.3 ns | 6.07x |

| Scenario | Lookups/s | Compared with | Ratio | Target |
| --- | ---: | --- | ---: | ---: |
| net-info resolve | 23083 | dns.promises.Resolver | 0.96 | >= 0.90 |
| warm cache | 1110193 | cold pass | 96.21 | >= 50x |

| bundle | min | min+gzip |
| --- | ---: | ---: |
| everything | 10522 B | 4174 B |
 ELIFECYCLE  Command failed with exit code 1.`;

test("benchOutput drops the package manager's lines and keeps the benchmark's", () => {
  const output = benchOutput(log);
  expect(output.startsWith("### IPv4 text to bytes")).toBe(true);
  expect(output).not.toMatch(/npm warn|ELIFECYCLE|^> /m);
});

test("parseTables finds each table under its title", () => {
  const tables = parseTables(benchOutput(log));
  expect(tables.map((table) => table.title)).toEqual(["IPv4 text to bytes", "Scenario", "bundle"]);
  expect(tables[0]).toMatchObject({ header: ["candidate", "time per call", "vs inetPton(4)"], rows: [["inetPton(4)", "53.3 ns", "1.00x"], ["ipaddr.js IPv4.parse()", "331.8 ns", "6.23x"], ["ip toBuffer()", "323.3 ns", "6.07x"]] });
});

test("ratioSeries reads x-suffixed and Ratio-headed columns and ignores tables without one", () => {
  const [first, second, third] = parseTables(benchOutput(log));
  if (!first || !second || !third) throw new Error("three tables expected");
  expect(ratioSeries(first)).toEqual({
    title: "IPv4 text to bytes",
    column: "vs inetPton(4)",
    bars: [
      { label: "inetPton(4)", value: 1 },
      { label: "ipaddr.js IPv4.parse()", value: 6.23 },
      { label: "ip toBuffer()", value: 6.07 },
    ],
  });
  expect(ratioSeries(second)?.bars).toEqual([
    { label: "net-info resolve", value: 0.96 },
    { label: "warm cache", value: 96.21 },
  ]);
  expect(ratioSeries(third)).toBeUndefined();
});

test("barChartSvg draws one bar per ratio, escapes labels, and uses a log scale for wide spreads", () => {
  const linear = barChartSvg({ title: "a < b", column: "ratio", bars: [{ label: "x & y", value: 1 }, { label: "z", value: 2 }] });
  expect(linear.match(/<rect x=/g)).toHaveLength(2);
  expect(linear).toContain("a &lt; b");
  expect(linear).toContain("x &amp; y");
  expect(linear).not.toContain("log scale");
  const widths = [...linear.matchAll(/<rect x="\d+" y="\d+" width="(\d+)"/g)].map((match) => Number(match[1]));
  expect(widths).toHaveLength(2);
  expect(Math.abs((widths[1] ?? 0) / (widths[0] ?? 1) - 2)).toBeLessThan(0.02);
  const wide = barChartSvg({ title: "t", column: "ratio", bars: [{ label: "a", value: 0.9 }, { label: "b", value: 700 }] });
  expect(wide).toContain("(log scale)");
});

test.each([
  ["| target | result |\n| --- | --- |\n| size | met |\n| IPv4 parse | MISSED |\n| p99 | NO |", ["IPv4 parse", "p99"]],
  ["targets missed:\n- startup: 16.1 CPU ms\n- lookups: 120 ns\n\nlater line", ["startup: 16.1 CPU ms", "lookups: 120 ns"]],
  ["| target | met |\n| --- | --- |\n| all | yes |\nno targets missed", []],
])("missedTargets %#", (output, missed) => {
  expect(missedTargets(output)).toEqual(missed);
});

test("pairSeries compares two tools row over row, and leaves other tables alone", () => {
  const [pair, heap] = parseTables(
    "| server | delivered/s | undelivered | p99 ms | RSS |\n| --- | ---: | ---: | ---: | ---: |\n| ngircd | 563,710 | 733741 of 7154050 | 3000 | 4.9 MiB |\n| chat-server | 819234 | 0 of 7150070 | 1156 | - |\n\n" +
      "| call | bytes | bare result | bytes |\n| --- | ---: | --- | ---: |\n| inetPton(4) | 215.3 | new Uint8Array(4) | 208.0 |\n| inetPton(6) | 216.3 | new Uint8Array(16) | 216.0 |",
  );
  if (!pair || !heap) throw new Error("two tables expected");
  expect(pairSeries(pair)).toEqual({
    title: "server",
    column: "chat-server / ngircd, column by column",
    bars: [
      { label: "delivered/s", value: 1.45 },
      { label: "undelivered", value: 0 },
      { label: "p99 ms", value: 0.385 },
    ],
  });
  expect(pairSeries(heap)).toBeUndefined();
});
