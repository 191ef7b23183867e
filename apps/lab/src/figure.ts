import { bytes, int, times } from "@netlab/bench-kit";

/** A number as the report prints it: whole with separators from 100 up, else three significant digits. */
export function number(value: number): string {
  const size = Math.abs(value);
  if (size >= 100) return int(value);
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return String(Number(value.toPrecision(3)));
}

/** A measured value with its unit: bytes exact below 1 MiB, ratios as `2.03x`, anything else `1,234 msg/s`. */
export function figure(value: number, unit: string): string {
  // Byte targets are often a few bytes away (4,175 B against 4,184 B): KiB would hide the margin.
  if (unit === "B") return Math.abs(value) < 1024 * 1024 ? `${int(value)} B` : bytes(value);
  if (unit === "x") return times(value);
  return `${number(value)} ${unit}`;
}

/** A range of values with their unit: `1.20–1.50 ms`. */
export function span(min: number, max: number, unit: string): string {
  if (unit === "B" || unit === "x") return `${figure(min, unit)}–${figure(max, unit)}`;
  return `${number(min)}–${number(max)} ${unit}`;
}
