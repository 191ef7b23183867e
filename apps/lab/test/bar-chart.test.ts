import { expect, test } from "vitest";
import { barChartSvg } from "../src/bar-chart.js";

test("barChartSvg draws one bar per ratio, escapes labels, and uses a log scale for wide spreads", () => {
  const linear = barChartSvg({ title: "a < b", column: "ratio", bars: [{ label: "x & y", value: 1 }, { label: "z", value: 2 }] });
  expect(linear).toContain("a &lt; b");
  expect(linear).toContain("x &amp; y");
  expect(linear).not.toContain("log scale");
  const widths = [...linear.matchAll(/<rect x="\d+" y="\d+" width="(\d+)"/g)].map((match) => Number(match[1]));
  expect(widths).toHaveLength(2);
  expect(Math.abs((widths[1] ?? 0) / (widths[0] ?? 1) - 2)).toBeLessThan(0.02);
  const wide = barChartSvg({ title: "t", column: "ratio", bars: [{ label: "a", value: 0.9 }, { label: "b", value: 700 }] });
  expect(wide).toContain("(log scale)");
});

test("a bar's range is a line from its min to its max, and the scale makes room for it", () => {
  const svg = barChartSvg({ title: "t", column: "ratio", bars: [{ label: "a", value: 2, range: { min: 1, max: 4 } }] });
  const bar = /<rect x="(\d+)" y="\d+" width="(\d+)"/.exec(svg);
  const line = /<line x1="(\d+)" y1="\d+" x2="(\d+)" y2="\d+" stroke="#111"/.exec(svg);
  if (!bar || !line) throw new Error("a bar and its range expected");
  const [x, width] = [Number(bar[1]), Number(bar[2])];
  // min is half the value and max twice it, on a linear scale from 0.
  expect(Number(line[1]) - x).toBeCloseTo(width / 2, -1);
  expect(Number(line[2]) - x).toBeCloseTo(width * 2, -1);
  expect(svg).toContain(">2.00x<");
});
