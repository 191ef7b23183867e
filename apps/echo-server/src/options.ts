import type { DaemonMetrics, Logger } from "@netlab/daemon";

export interface EchoTlsOptions {
  /** PEM certificate chain and private key. */
  cert: string | Buffer;
  key: string | Buffer;
  /** Default 9901. */
  port?: number;
}

export interface EchoServerOptions {
  /** Default 127.0.0.1; "::" or "0.0.0.0" opens it up. */
  host?: string;
  /** TCP port, default 9900; 0 picks a free one. */
  port?: number;
  /** Serve TCP (default true). */
  tcp?: boolean;
  /** Serve UDP (default true), on udpPort or else the TCP port actually bound. */
  udp?: boolean;
  udpPort?: number;
  tls?: EchoTlsOptions;
  /** Open TCP+TLS connections at once; default 10,000, 0 means no limit. */
  maxConnections?: number;
  /** Open TCP+TLS connections from one address; default 256, 0 means no limit. */
  maxPerAddress?: number;
  /** Close a connection silent this long; default 5 minutes, 0 means never. */
  idleTimeoutMs?: number;
  /** Close a connection after it has sent this many bytes; default 0 (no limit). */
  maxBytes?: number;
  /** UDP datagrams per second from one source address; default 1000, 0 means no limit. */
  udpRatePerSecond?: number;
  /** UDP burst per source address; default udpRatePerSecond. */
  udpBurst?: number;
  /** UDP source ports dropped (loop and reflection protection). */
  blockedSourcePorts?: readonly number[];
  log?: Logger;
  metrics?: DaemonMetrics;
}
