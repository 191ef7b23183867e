import { promises as dns } from "node:dns";
import type { ResolvedAddress } from "./resolved-address.js";

/** Addresses from getaddrinfo(), so /etc/hosts, nsswitch and the system's DNS apply. */
export async function systemAddresses(host: string, family: 4 | 6 | undefined): Promise<ResolvedAddress[]> {
  const found = await dns.lookup(host, { all: true, family: family ?? 0 });
  return found.map(({ address, family: kind }) => ({ address, family: kind === 6 ? 6 : 4 }));
}

/** The name getnameinfo() gives an address (/etc/hosts, then the system's DNS). */
export async function systemNames(address: string): Promise<string[]> {
  const { hostname } = await dns.lookupService(address, 0);
  return [hostname];
}
