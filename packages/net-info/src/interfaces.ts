import os from "node:os";
import { prefixLengthOf } from "./prefix-length.js";

/** One address of one network interface. */
export interface InterfaceAddress {
  /** Interface name (for an IPv4 alias, its label such as "eth0:1"). */
  name: string;
  family: 4 | 6;
  address: string;
  netmask: string;
  /** Prefix length in bits, as in CIDR notation. */
  prefixLength: number;
  /** address/prefixLength, e.g. "192.168.1.20/24". */
  cidr: string;
  /** Hardware address, "00:00:00:00:00:00" when the interface has none. */
  mac: string;
  /** True for loopback and other addresses not reachable from outside this machine. */
  internal: boolean;
  /** IPv6 scope id (interface index) of a link-local address; 0 for global ones. */
  scopeId?: number;
}

/** The interface list in our shape, from what os.networkInterfaces() returns. */
export function fromNetworkInterfaces(list: NodeJS.Dict<os.NetworkInterfaceInfo[]>): InterfaceAddress[] {
  const result: InterfaceAddress[] = [];
  for (const [name, entries] of Object.entries(list)) {
    for (const entry of entries ?? []) {
      const family = entry.family === "IPv6" ? 6 : 4;
      const prefixLength = prefixLengthOf(entry.netmask) ?? (family === 4 ? 32 : 128);
      const item: InterfaceAddress = {
        name,
        family,
        address: entry.address,
        netmask: entry.netmask,
        prefixLength,
        cidr: `${entry.address}/${prefixLength}`,
        mac: entry.mac,
        internal: entry.internal,
      };
      if (entry.family === "IPv6") item.scopeId = entry.scopeid;
      result.push(item);
    }
  }
  return result;
}

/**
 * Every address of every interface that is up (the OS lists no address of a down one),
 * IPv4 and IPv6, loopback included.
 */
export function interfaces(): InterfaceAddress[] {
  return fromNetworkInterfaces(os.networkInterfaces());
}
