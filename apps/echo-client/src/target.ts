import type { LookupFunction } from "node:net";

export interface TlsClientOptions {
  /** PEM CA certificate(s) to trust, besides the system ones. */
  ca?: string | Buffer;
  /** Skip certificate checks (self-signed test servers). */
  insecure?: boolean;
  /** Name to check the certificate against; default the host. */
  servername?: string;
}

/** Where to send, over what, and how long to wait. */
export interface EchoTarget {
  host: string;
  port: number;
  transport: "tcp" | "udp" | "tls";
  tls?: TlsClientOptions;
  /** Connect and read deadline, each. */
  timeoutMs: number;
  /** Name resolution to use instead of the system's (dns.lookup). */
  lookup?: LookupFunction;
}

/** host:port, with IPv6 literals in brackets. */
export function formatTarget(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
