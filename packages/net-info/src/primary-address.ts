import dgram from "node:dgram";
import { isIP } from "node:net";
import { fallbackAddress, type PrimaryAddress } from "./fallback-address.js";
import { interfaces } from "./interfaces.js";

export interface PrimaryAddressOptions {
  /** 4 (default) or 6. */
  family?: 4 | 6;
  /**
   * The destination whose route decides; a documentation address by default, which the
   * default route carries like any other remote address.
   */
  destination?: string;
}

/**
 * The source address the OS picks for a connection to destination: connect() on a UDP
 * socket consults the routing table and sends nothing. Rejects when there is no route.
 */
export function routeSourceAddress(destination: string, family: 4 | 6): Promise<string> {
  return new Promise((resolve, reject) => {
    let socket: dgram.Socket;
    try {
      socket = dgram.createSocket(family === 4 ? "udp4" : "udp6");
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const finish = (error?: Error): void => {
      let address = "";
      if (error === undefined) {
        try {
          address = socket.address().address;
        } catch (caught) {
          error = caught instanceof Error ? caught : new Error(String(caught));
        }
      }
      socket.close();
      if (error) reject(error);
      else resolve(address);
    };
    socket.once("error", finish);
    try {
      socket.connect(9, destination, () => finish());
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * The address this machine uses for outbound traffic of a family. The routing table
 * decides (the address other hosts see, never a host-only or down adapter's when a routed
 * one exists); with no route, the first non-internal address, then loopback.
 */
export async function primaryAddress(options: PrimaryAddressOptions = {}): Promise<PrimaryAddress> {
  const family = options.family ?? 4;
  const destination = options.destination ?? (family === 4 ? "192.0.2.1" : "2001:db8::1");
  if (isIP(destination) !== family) throw new RangeError(`destination ${destination} is not an IPv${family} address`);
  const list = interfaces();
  try {
    const address = await routeSourceAddress(destination, family);
    // A wildcard means the kernel chose nothing: treat it as no route.
    if (address !== "" && address !== "0.0.0.0" && address !== "::") {
      const name = list.find((entry) => entry.address === address)?.name;
      return name === undefined ? { address, family, source: "route" } : { address, family, interface: name, source: "route" };
    }
  } catch {
    // ENETUNREACH, EHOSTUNREACH or no IPv6 on this machine: fall back to the interface list.
  }
  return fallbackAddress(list, family);
}
