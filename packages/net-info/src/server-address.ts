import { isIP, isIPv4, isIPv6 } from "node:net";

/** A DNS server address that is not "ADDR", "ADDR:PORT" or "[IPv6]:PORT". */
export class ServerAddressError extends Error {
  override name = "ServerAddressError";
  readonly code = "BAD_SERVER";
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`bad DNS server address ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
  }
}

/** A DNS server to query directly. */
export interface ServerAddress {
  address: string;
  port: number;
}

function parsePort(input: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new ServerAddressError(input, `port ${JSON.stringify(text)} is not 1-65535`);
  return port;
}

/**
 * Parses "127.0.0.1", "127.0.0.1:5353", "::1" or "[::1]:5353" (port 53 when absent).
 * Only IP addresses: a server named by host name would need a resolver to find it.
 */
export function parseServerAddress(input: string): ServerAddress {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (bracketed) {
    const address = bracketed[1] ?? "";
    if (!isIPv6(address)) throw new ServerAddressError(input, `${address} is not an IPv6 address`);
    return { address, port: bracketed[2] === undefined ? 53 : parsePort(input, bracketed[2]) };
  }
  if (isIP(input) !== 0) return { address: input, port: 53 };
  const colon = input.lastIndexOf(":");
  const address = input.slice(0, colon);
  if (colon > 0 && isIPv4(address)) return { address, port: parsePort(input, input.slice(colon + 1)) };
  throw new ServerAddressError(input, "expected ADDR, ADDR:PORT or [IPv6]:PORT with an IP address");
}

/** The form dns.Resolver#setServers() takes. */
export function formatServerAddress({ address, port }: ServerAddress): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}
