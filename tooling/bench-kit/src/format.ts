// Number formatting for the summaries benches print: one way to write each kind of figure.
import type { Metric } from "./result.js";

/** What a figure that was not measured (NaN, infinite) prints as. */
export const NOT_AVAILABLE = "n/a";

/** n with `digits` decimals (default 1): fixed(3.14159) is "3.1". */
export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : NOT_AVAILABLE;
}

/** n with about three significant digits, whole from 100 up: figure(1234.5) is "1,235", figure(12.345) is "12.3", figure(0.01234) is "0.0123". */
export function figure(n: number): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  const size = Math.abs(n);
  if (size >= 100) return int(n);
  if (size === 0) return "0";
  // Decimals for three significant digits, at most 6.
  return n.toFixed(Math.min(6, 2 - Math.floor(Math.log10(size))));
}

/** n rounded to a whole number with thousands separators: int(1234567.8) is "1,234,568". */
export function int(n: number): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  const rounded = Math.round(n);
  // Written out rather than toLocaleString, so the output does not depend on Node's ICU data.
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+$)/g, ",");
  return rounded < 0 ? `-${digits}` : digits;
}

/** n with a sign either way: signed(1.25) is "+1.3", signed(-2) is "-2.0". */
export function signed(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  return n < 0 ? n.toFixed(digits) : `+${n.toFixed(digits)}`;
}

/** A ratio as a multiple: times(2.0312) is "2.03x". */
export function times(ratio: number, digits = 2): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(digits)}x` : NOT_AVAILABLE;
}

/** A fraction as a percentage: percent(0.123) is "12 %". */
export function percent(fraction: number, digits = 0): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : NOT_AVAILABLE;
}

const BINARY_UNITS = ["KiB", "MiB", "GiB", "TiB"] as const;

/** A size in bytes, in B below 1 KiB, else in the largest binary unit under it: bytes(1536) is "1.5 KiB". */
export function bytes(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  if (Math.abs(n) < 1024) return `${Math.round(n)} B`;
  let value = n;
  let unit: string = "B";
  for (const next of BINARY_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(digits)} ${unit}`;
}

/** A figure with its range over the rounds: withRange(1.2, { min: 1, max: 1.5 }) is "1.2 (1.0-1.5)". */
export function withRange(value: number, range: { min: number; max: number }, digits = 1): string {
  return `${fixed(value, digits)} (${fixed(range.min, digits)}-${fixed(range.max, digits)})`;
}

/** Whether the metric's value meets its target (true when it has none). */
export function targetMet(metric: Metric): boolean {
  const { target, value } = metric;
  return (target?.min === undefined || value >= target.min) && (target?.max === undefined || value <= target.max);
}

/** A range as "1.10 to 1.40" (a dash would read as a minus beside negative bounds). */
function span(range: { min: number; max: number }): string {
  return `${figure(range.min)} to ${figure(range.max)}`;
}

/** The value with its unit: "1,235 msg/s", "2.03x". */
function withUnit(value: number, unit: string): string {
  return unit === "x" ? `${figure(value)}x` : `${figure(value)} ${unit}`;
}

/**
 * One line of the summary a bench prints for a metric: name, value, range, alternative,
 * ratio, target and whether it is met, and the note, e.g.
 * "p99 latency: 1.20 ms (1.10 to 1.40); ngircd 2.40 ms; ratio 0.500x (0.450 to 0.550); target <= 2.00 ms: met".
 */
export function metricLine(metric: Metric): string {
  const parts = [`${metric.name}: ${withUnit(metric.value, metric.unit)}${metric.range ? ` (${span(metric.range)})` : ""}`];
  if (metric.alternative) parts.push(`${metric.alternative.name} ${withUnit(metric.alternative.value, metric.unit)}`);
  if (metric.ratio) parts.push(`ratio ${figure(metric.ratio.median)}x (${span(metric.ratio)})`);
  if (metric.target) {
    const { min, max } = metric.target;
    const bounds = [min === undefined ? "" : `>= ${withUnit(min, metric.unit)}`, max === undefined ? "" : `<= ${withUnit(max, metric.unit)}`].filter(Boolean);
    parts.push(`target ${bounds.join(" and ")}: ${targetMet(metric) ? "met" : "MISSED"}`);
  }
  if (metric.note) parts.push(metric.note);
  return parts.join("; ");
}
