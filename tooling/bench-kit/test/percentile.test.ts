import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, percentile, summarize } from "../src/percentile.js";

describe("percentile (nearest rank)", () => {
  it("matches hand-computed values", () => {
    // Rank ceil(p/100 * n), 1-based.
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 5)).toBe(15); // rank 1
    expect(percentile(values, 30)).toBe(20); // rank ceil(1.5) = 2
    expect(percentile(values, 40)).toBe(20); // rank 2
    expect(percentile(values, 50)).toBe(35); // rank ceil(2.5) = 3
    expect(percentile(values, 100)).toBe(50);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.5)).toBe(100);
    expect(percentile(hundred, 90)).toBe(90);
  });

  it("sorts a copy and leaves the input alone", () => {
    const values = [3, 1, 2];
    expect(percentile(values, 50)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
  });

  it("is NaN for no values and refuses p outside 0..100 or NaN values", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(RangeError);
  });

  const samples = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 200 });
  const ps = fc.double({ min: 0, max: 100, noNaN: true });

  it("is always one of the values, with at least p% of them at or below it and fewer below", () => {
    fc.assert(
      fc.property(samples, ps, (values, p) => {
        const q = percentile(values, p);
        expect(values).toContain(q);
        const atOrBelow = values.filter((v) => v <= q).length;
        const below = values.filter((v) => v < q).length;
        expect(atOrBelow).toBeGreaterThanOrEqual((p / 100) * values.length - 1e-9);
        expect(below).toBeLessThan(Math.max(1, (p / 100) * values.length + 1e-9));
      }),
    );
  });

  it("does not decrease with p and spans min to max", () => {
    fc.assert(
      fc.property(samples, ps, ps, (values, p1, p2) => {
        const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
        expect(percentile(values, lo)).toBeLessThanOrEqual(percentile(values, hi));
        expect(percentile(values, 0)).toBe(Math.min(...values));
        expect(percentile(values, 100)).toBe(Math.max(...values));
      }),
    );
  });
});

describe("median", () => {
  it("averages the two middle values for an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNaN();
  });
});

describe("summarize", () => {
  it("matches hand-computed values", () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200
    expect(summarize(values.reverse())).toEqual({ count: 200, min: 1, p50: 100, p90: 180, p99: 198, max: 200, mean: 100.5 });
    expect(summarize([7])).toEqual({ count: 1, min: 7, p50: 7, p90: 7, p99: 7, max: 7, mean: 7 });
  });

  it("is NaN but for count when empty", () => {
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    for (const key of ["min", "p50", "p90", "p99", "max", "mean"] as const) expect(empty[key]).toBeNaN();
  });

  it("agrees with percentile and stays ordered", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 300 }), (values) => {
        const s = summarize(values);
        expect([s.p50, s.p90, s.p99]).toEqual([percentile(values, 50), percentile(values, 90), percentile(values, 99)]);
        expect(s.min).toBeLessThanOrEqual(s.p50);
        expect(s.p50).toBeLessThanOrEqual(s.p90);
        expect(s.p90).toBeLessThanOrEqual(s.p99);
        expect(s.p99).toBeLessThanOrEqual(s.max);
        expect(s.mean).toBeGreaterThanOrEqual(s.min - 1e-6);
        expect(s.mean).toBeLessThanOrEqual(s.max + 1e-6);
      }),
    );
  });
});
