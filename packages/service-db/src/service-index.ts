import type { Service } from "./service.js";

/** What service-db asks of a source of services; protocols are given by their index in PROTOCOLS. */
export interface ServiceIndex {
  byPort(port: number, protocolIndex: number): Service | undefined;
  /** The first entry naming `lowerName` (compared in lower case) on the protocol, or on tcp, udp, sctp, dccp in turn. */
  byName(lowerName: string, protocolIndex: number | undefined): Service | undefined;
  /** Every port with a service, ascending. */
  ports(): number[];
}
