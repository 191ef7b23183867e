import { describe, expect, it } from "vitest";
import { bytes, figure, fixed, int, metricLine, NOT_AVAILABLE, percent, signed, targetMet, times, withRange } from "../src/format.js";

describe("format", () => {
  it("writes fixed decimals", () => {
    expect(fixed(3.14159)).toBe("3.1");
    expect(fixed(3.14159, 3)).toBe("3.142");
    expect(fixed(2, 0)).toBe("2");
  });

  it("rounds to whole numbers with thousands separators", () => {
    expect(int(0)).toBe("0");
    expect(int(999.4)).toBe("999");
    expect(int(1000)).toBe("1,000");
    expect(int(1234567.8)).toBe("1,234,568");
    expect(int(-1234567)).toBe("-1,234,567");
  });

  it("signs both ways", () => {
    expect(signed(1.25, 2)).toBe("+1.25");
    expect(signed(0)).toBe("+0.0");
    expect(signed(-2)).toBe("-2.0");
  });

  it("writes ratios as multiples and fractions as percentages", () => {
    expect(times(2.0312)).toBe("2.03x");
    expect(times(1, 1)).toBe("1.0x");
    expect(percent(0.123)).toBe("12 %");
    expect(percent(0.5, 1)).toBe("50.0 %");
  });

  it("writes sizes in B, KiB, MiB, GiB", () => {
    expect(bytes(0)).toBe("0 B");
    expect(bytes(1023)).toBe("1023 B");
    expect(bytes(1024)).toBe("1.0 KiB");
    expect(bytes(1536)).toBe("1.5 KiB");
    expect(bytes(5 * 2 ** 20, 2)).toBe("5.00 MiB");
    expect(bytes(3 * 2 ** 30)).toBe("3.0 GiB");
    expect(bytes(-2048)).toBe("-2.0 KiB");
  });

  it("writes a figure with its range", () => {
    expect(withRange(1.23, { min: 1, max: 1.5 })).toBe("1.2 (1.0-1.5)");
  });

  it("writes figures with about three significant digits", () => {
    expect(figure(1234.5)).toBe("1,235");
    expect(figure(123.4)).toBe("123");
    expect(figure(12.345)).toBe("12.3");
    expect(figure(1.2345)).toBe("1.23");
    expect(figure(0.01234)).toBe("0.0123");
    expect(figure(0)).toBe("0");
    expect(figure(-5.5)).toBe("-5.50");
  });

  it("checks targets, either bound or both", () => {
    expect(targetMet({ name: "a", unit: "x", value: 3 })).toBe(true);
    expect(targetMet({ name: "a", unit: "x", value: 3, target: { min: 3 } })).toBe(true);
    expect(targetMet({ name: "a", unit: "x", value: 2.9, target: { min: 3 } })).toBe(false);
    expect(targetMet({ name: "a", unit: "B", value: 9, target: { max: 8 } })).toBe(false);
    expect(targetMet({ name: "a", unit: "B", value: 5, target: { min: 1, max: 8 } })).toBe(true);
  });

  it("writes a metric as one summary line", () => {
    expect(
      metricLine({
        name: "p99 latency",
        unit: "ms",
        value: 1.2,
        range: { min: 1.1, max: 1.4 },
        alternative: { name: "ngircd", value: 2.4 },
        ratio: { best: 0.5, median: 0.5, min: 0.45, max: 0.55 },
        target: { max: 2 },
        note: "50 clients",
      }),
    ).toBe("p99 latency: 1.20 ms (1.10 to 1.40); ngircd 2.40 ms; ratio 0.500x (0.450 to 0.550); target <= 2.00 ms: met; 50 clients");
    expect(metricLine({ name: "speed-up", unit: "x", value: 3.5, target: { min: 4 } })).toBe("speed-up: 3.50x; target >= 4.00x: MISSED");
  });

  it("writes n/a for what was not measured", () => {
    for (const f of [fixed, figure, int, signed, times, percent, bytes]) {
      expect(f(Number.NaN)).toBe(NOT_AVAILABLE);
      expect(f(Number.POSITIVE_INFINITY)).toBe(NOT_AVAILABLE);
    }
  });
});
