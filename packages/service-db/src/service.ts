import type { Protocol } from "./protocol.js";

/** Where an answer came from: the system services file or the embedded IANA registry. */
export type ServiceSource = "system" | "iana";

/** A registered range of ports, both ends included. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** A service on one port and protocol, as `getservbyport` would describe it. */
export interface Service {
  /** The primary name: the first one registered for this port and protocol. */
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The other names of this port and protocol, in registration order. */
  readonly aliases: readonly string[];
  readonly description?: string;
  /** Set when the registry assigns a whole range (6665-6669) and this port lies in it. */
  readonly range?: PortRange;
  readonly source: ServiceSource;
}

/**
 * An IANA registration with no port/protocol pair: a DNS-SD service name with no port,
 * or an old registration with a port but no protocol. Found by name only.
 */
export interface NameOnlyService {
  readonly name: string;
  readonly port: number | undefined;
  readonly protocol: Protocol | undefined;
  readonly aliases: readonly string[];
  readonly description?: string;
  readonly range?: PortRange;
  readonly source: "iana";
}
