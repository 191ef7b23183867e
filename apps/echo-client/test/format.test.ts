import { expect, test } from "vitest";
import { formatTarget, LatencyStats } from "../src/index.js";
import { preview } from "../src/report.js";

test.each([
  ["127.0.0.1", 9900, "127.0.0.1:9900"],
  ["::1", 7, "[::1]:7"],
  ["localhost", 9901, "localhost:9901"],
])("formatTarget(%s, %d) = %s", (host, port, text) => {
  expect(formatTarget(host, port)).toBe(text);
});

test.each([
  [Buffer.from("hello"), '"hello"'],
  [Buffer.from([0, 1, 2, 255]), "0x000102ff"],
  [Buffer.alloc(40, 0xff), `0x${"ff".repeat(32)}...`],
])("preview shows text as text and binary as hex", (bytes, text) => {
  expect(preview(bytes)).toBe(text);
});

test("LatencyStats: min/avg/max/mdev and percentiles in ms", () => {
  const stats = new LatencyStats();
  for (let i = 1; i <= 100; i++) stats.record(i);
  const s = stats.summary();
  expect(s.count).toBe(100);
  expect(s.min).toBeCloseTo(1, 2);
  expect(s.max).toBeCloseTo(100, 0);
  expect(s.avg).toBeCloseTo(50.5, 0);
  expect(s.mdev).toBeCloseTo(28.87, 0);
  expect(s.p50).toBeCloseTo(50, 0);
  expect(s.p90).toBeCloseTo(90, 0);
  expect(s.p99).toBeCloseTo(99, 0);
  expect(new LatencyStats().summary()).toEqual({ count: 0, min: 0, avg: 0, max: 0, mdev: 0, p50: 0, p90: 0, p99: 0 });
});

test("LatencyStats: percentiles within 0.4% of the exact ones, from microseconds to minutes", () => {
  const stats = new LatencyStats();
  const samples: number[] = [];
  // A fixed spread over seven decades (ms): deterministic, so a failure reproduces.
  for (let i = 0; i < 20_000; i++) samples.push(0.001 * 10 ** ((i * 7919) % 20_000 / 20_000 * 7));
  for (const ms of samples) stats.record(ms);
  const sorted = [...samples].sort((a, b) => a - b);
  const exact = (p: number): number => sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
  const s = stats.summary();
  for (const [p, got] of [[50, s.p50], [90, s.p90], [99, s.p99]] as const) expect(Math.abs(got - exact(p)) / exact(p)).toBeLessThan(0.004);
  expect(s.min).toBeCloseTo(sorted[0] ?? Number.NaN, 6);
  expect(s.max).toBeCloseTo(sorted.at(-1) ?? Number.NaN, 3);
});

test("LatencyStats: merging the states of two histograms gives what one histogram of every sample gives", () => {
  const whole = new LatencyStats();
  const parts = [new LatencyStats(), new LatencyStats(), new LatencyStats()];
  for (let i = 0; i < 3_000; i++) {
    // Different spreads per part, so the merge of means and deviations is really exercised.
    const ms = ((i * 7919) % 3_000) / 100 + (i % 3) * 40;
    whole.record(ms);
    parts[i % 3]?.record(ms);
  }
  const merged = new LatencyStats();
  for (const part of parts) merged.merge(structuredClone(part.state()));
  merged.merge(new LatencyStats().state());
  const a = merged.summary();
  const b = whole.summary();
  expect(a.count).toBe(b.count);
  for (const key of ["min", "max", "avg", "mdev", "p50", "p90", "p99"] as const) expect(a[key]).toBeCloseTo(b[key], 6);
});
