import type { Channel } from "./channel-pool.js";
import type { ResolvedAddress } from "./resolved-address.js";

/** A or AAAA records of host from the channel's servers; c-ares follows CNAMEs. */
export function queryAddresses(channel: Channel, host: string, family: 4 | 6): Promise<ResolvedAddress[]> {
  const records = family === 4 ? channel.resolve4(host, { ttl: true }) : channel.resolve6(host, { ttl: true });
  // Node built these { address, ttl } objects for us alone: adding the family in place
  // saves copying every answer on the hot path.
  return records.then((list) => {
    for (const record of list) (record as ResolvedAddress).family = family;
    return list as ResolvedAddress[];
  });
}

/** PTR names of an address from the channel's servers. */
export function queryNames(channel: Channel, address: string): Promise<string[]> {
  return channel.reverse(address);
}
