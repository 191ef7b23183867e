import type { Channel } from "./channel-pool.js";
import type { ResolvedAddress } from "./resolved-address.js";

/** A or AAAA records of host from the channel's servers; c-ares follows CNAMEs. */
export async function queryAddresses(channel: Channel, host: string, family: 4 | 6): Promise<ResolvedAddress[]> {
  const records = family === 4 ? await channel.resolve4(host, { ttl: true }) : await channel.resolve6(host, { ttl: true });
  return records.map(({ address, ttl }) => ({ address, family, ttl }));
}

/** PTR names of an address from the channel's servers. */
export function queryNames(channel: Channel, address: string): Promise<string[]> {
  return channel.reverse(address);
}
