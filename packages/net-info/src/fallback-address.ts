import { tryParseAddress } from "@netlab/ip-codec";
import type { InterfaceAddress } from "./interfaces.js";

/** How the primary address was found. */
export type AddressSource = "route" | "interface" | "loopback";

export interface PrimaryAddress {
  address: string;
  family: 4 | 6;
  /** Name of the interface holding the address, when it is in the interface list. */
  interface?: string;
  /** "route": the routing table's choice; "interface" and "loopback": fallbacks. */
  source: AddressSource;
}

// Host-only, bridge and container adapters: addresses other machines usually cannot reach.
const VIRTUAL_ADAPTER = /^(vboxnet|vmnet|virbr|docker|br-|veth|lxcbr|lxdbr|cni|podman|vEthernet)/i;

const isLinkLocal = (entry: InterfaceAddress): boolean => tryParseAddress(entry.address)?.isLinkLocal() ?? false;

// Lower is better: routable addresses on real adapters first.
function rank(entry: InterfaceAddress): number {
  return (isLinkLocal(entry) ? 2 : 0) + (VIRTUAL_ADAPTER.test(entry.name) ? 1 : 0);
}

/**
 * The address to report when the routing table has no route: the first non-internal
 * address of the family, preferring real adapters over host-only or container ones and
 * global over link-local addresses; then the loopback address.
 */
export function fallbackAddress(list: readonly InterfaceAddress[], family: 4 | 6): PrimaryAddress {
  const candidates = list
    .filter((entry) => entry.family === family && !entry.internal)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index);
  const best = candidates[0]?.entry;
  if (best) return { address: best.address, family, interface: best.name, source: "interface" };
  const loopback = list.find((entry) => entry.family === family && entry.internal);
  if (loopback) return { address: loopback.address, family, interface: loopback.name, source: "loopback" };
  return { address: family === 4 ? "127.0.0.1" : "::1", family, source: "loopback" };
}
