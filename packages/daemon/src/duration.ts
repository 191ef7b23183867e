import { DaemonError } from "./errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from a duration: a number of milliseconds (`500`), or a number with a unit
 * (`500ms`, `10s`, `2m`, `1h`, decimals allowed). Throws DaemonError code "EDURATION" otherwise.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return input;
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(input);
    if (match?.[1] !== undefined) return Math.round(Number(match[1]) * (UNITS[match[2] ?? "ms"] ?? 1));
  }
  throw new DaemonError("EDURATION", `invalid duration ${JSON.stringify(input)}: use milliseconds or a unit, e.g. 500ms, 10s, 2m`);
}

/** A TCP/UDP port number 0-65535 (0: pick a free one). Throws DaemonError code "EPORT" otherwise. */
export function parsePort(input: string | number): number {
  const port = typeof input === "number" ? input : /^\s*\d+\s*$/.test(input) ? Number(input) : Number.NaN;
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new DaemonError("EPORT", `invalid port ${JSON.stringify(input)}: use a number from 0 to 65535`);
}
