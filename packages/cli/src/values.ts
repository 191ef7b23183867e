import { isIP } from "node:net";
import { UsageError } from "./usage-error.js";

/** How a value was written, for messages: `"abc"`, `""`. */
const shown = (input: unknown): string => JSON.stringify(String(input));

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const sizeUnits: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** A TCP/UDP port 0-65535 (0: a free one); allowZero false for a port to connect to. */
export function parsePort(input: unknown, options: { allowZero?: boolean } = {}): number {
  const text = String(input).trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  const low = options.allowZero === false ? 1 : 0;
  if (Number.isInteger(port) && port >= low && port <= 65_535) return port;
  throw new UsageError(`invalid port ${shown(input)}: use a number from ${low} to 65535`);
}

/** Milliseconds from `500ms`, `10s`, `2m`, `1h`, `30d` or plain milliseconds. */
export function parseDuration(input: unknown): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(String(input));
  if (match?.[1] !== undefined) return Math.round(Number(match[1]) * (durationUnits[match[2] ?? "ms"] ?? 1));
  throw new UsageError(`invalid duration ${shown(input)}: use milliseconds or a unit, e.g. 500ms, 10s, 2m`);
}

/** A duration that must not be zero (a timeout that would end at once). */
export function parsePositiveDuration(input: unknown): number {
  const ms = parseDuration(input);
  if (ms > 0) return ms;
  throw new UsageError(`invalid duration ${shown(input)}: it must be more than 0`);
}

/** Bytes from `65507`, `64k`, `1MiB`, `2g` (powers of 1024). */
export function parseByteSize(input: unknown): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(input));
  const unit = sizeUnits[(match?.[2] ?? "").toLowerCase()];
  if (match?.[1] !== undefined && unit !== undefined) return Math.round(Number(match[1]) * unit);
  throw new UsageError(`invalid size ${shown(input)}: use bytes or a unit, e.g. 512, 64k, 1m`);
}

/** A whole number from min (1 by default) to max. */
export function parseCount(input: unknown, options: { min?: number; max?: number } = {}): number {
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = options;
  const text = String(input).trim();
  const count = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(count) && count >= min && count <= max) return count;
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  throw new UsageError(`invalid number ${shown(input)}: use a whole number ${range}`);
}

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A host to bind or connect to: an IPv4 or IPv6 address, or a host name (`999.1.1.1` is neither). */
export function parseHost(input: unknown): string {
  const text = String(input).trim();
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIP(bare)) return bare;
  // Dotted digits that are no IPv4 address are a mistake, not a host name.
  const looksNumeric = /^[\d.]+$/.test(bare);
  if (!looksNumeric && bare.length <= 253 && bare.split(".").every((part, i, all) => label.test(part) || (i === all.length - 1 && part === "" && all.length > 1))) return bare;
  throw new UsageError(`invalid host ${shown(input)}: use an IP address (127.0.0.1, ::1) or a host name`);
}

/** `host:port`, `[v6]:port`, or, with a default port, `host` or a bare IPv6 address. */
export function parseHostPort(input: unknown, defaultPort?: number): { host: string; port: number } {
  const text = String(input).trim();
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let host: string;
  let port: string | undefined;
  if (bracketed) [, host = "", port] = bracketed;
  else if (isIP(text) === 6) host = text;
  else {
    const colon = text.lastIndexOf(":");
    host = colon < 0 ? text : text.slice(0, colon);
    port = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (port === undefined && defaultPort === undefined) throw new UsageError(`invalid address ${shown(input)}: use host:port, e.g. 127.0.0.1:53 or [::1]:53`);
  try {
    return { host: parseHost(host), port: port === undefined ? (defaultPort as number) : parsePort(port, { allowZero: false }) };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`invalid address ${shown(input)}: ${error.message}`);
    throw error;
  }
}
