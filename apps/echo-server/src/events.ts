export type EchoProtocol = "tcp" | "udp" | "tls";

export interface ConnectionEvent {
  protocol: EchoProtocol;
  remoteAddress: string;
  remotePort: number;
}

export interface RefusedEvent extends ConnectionEvent {
  reason: "max-connections" | "max-per-address";
}

export interface ClosedEvent extends ConnectionEvent {
  /** Bytes received (and so echoed, unless cut) on the connection. */
  bytes: number;
  /** Set when the server closed it for a limit. */
  reason?: "idle-timeout" | "max-bytes";
}

export interface DroppedEvent extends ConnectionEvent {
  reason: "loop-port" | "rate-limit";
}

/** What createEchoServer emits; each listener gets one plain object. */
export interface EchoServerEvents {
  connection: [ConnectionEvent];
  refused: [RefusedEvent];
  closed: [ClosedEvent];
  dropped: [DroppedEvent];
}
