// Which server and which source address each client uses.
import type { Target } from "./messages.js";

export interface WeightedTarget extends Target {
  /** Share of the clients relative to the other targets (default 1). */
  weight?: number;
}

/** "host:port" or "host:port=weight" (an IPv6 host in brackets: "[::1]:6667"). */
export function parseTarget(text: string): WeightedTarget {
  const match = /^(\[[^\]]+\]|[^:=]+):(\d+)(?:=(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a target (host:port or host:port=weight): ${text}`);
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) throw new RangeError(`port out of range in ${text}`);
  const host = (match[1] as string).replace(/^\[|\]$/g, "");
  return match[3] === undefined ? { host, port } : { host, port, weight: Number(match[3]) };
}

/**
 * Target index of each of `count` clients, interleaved by weight (smooth weighted round-robin),
 * so that any run of consecutive clients, such as one channel's members, spans every target.
 */
export function assignTargets(targets: WeightedTarget[], count: number): Uint8Array {
  if (targets.length === 0 || targets.length > 255) throw new RangeError("between 1 and 255 targets");
  const weights = targets.map((target) => target.weight ?? 1);
  if (weights.some((weight) => !(weight > 0))) throw new RangeError("target weights must be positive");
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  const out = new Uint8Array(count);
  for (let g = 0; g < count; g++) {
    let best = 0;
    for (let t = 0; t < weights.length; t++) {
      current[t] = (current[t] as number) + (weights[t] as number);
      if ((current[t] as number) > (current[best] as number)) best = t;
    }
    current[best] = (current[best] as number) - total;
    out[g] = best;
  }
  return out;
}

/**
 * Clients per source address. Binding a socket to an address with port 0 makes the kernel search
 * that address's ephemeral ports, which stalls the event loop for milliseconds per connection once
 * thousands are taken (measured here: 19,000 on one address took 78 s, on 20 addresses 1.6 s).
 */
export const CLIENTS_PER_ADDRESS = 1_000;

/** 127.0.0.2, 127.0.0.3, ...: enough loopback source addresses that each holds few clients. */
export function loopbackSources(clients: number, atLeast = 1): string[] {
  const count = Math.max(atLeast, Math.ceil(clients / CLIENTS_PER_ADDRESS));
  if (count > 250) throw new RangeError(`${count} source addresses: too many (at most 250, ${250 * CLIENTS_PER_ADDRESS} clients)`);
  return Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
}
