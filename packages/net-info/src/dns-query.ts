import type { Channel } from "./channel-pool.js";
import type { ResolvedAddress } from "./resolved-address.js";

type Records = { address: string; ttl: number }[];

// Node built these { address, ttl } objects for us alone: adding the family in place
// saves copying every answer on the hot path.
function tag(list: Records, family: 4 | 6): ResolvedAddress[] {
  for (const record of list) (record as ResolvedAddress).family = family;
  return list as ResolvedAddress[];
}

/** Our shape of the records from queryRecords(), by family. */
export const shapeRecords = {
  4: (list: Records): ResolvedAddress[] => tag(list, 4),
  6: (list: Records): ResolvedAddress[] => tag(list, 6),
} as const;

/** A or AAAA records of host, as Node gives them; c-ares follows CNAMEs. */
export function queryRecords(channel: Channel, host: string, family: 4 | 6): Promise<Records> {
  return family === 4 ? channel.resolve4(host, { ttl: true }) : channel.resolve6(host, { ttl: true });
}

/** A or AAAA records of host from the channel's servers, in our shape. */
export function queryAddresses(channel: Channel, host: string, family: 4 | 6): Promise<ResolvedAddress[]> {
  return queryRecords(channel, host, family).then(shapeRecords[family]);
}

/** PTR names of an address from the channel's servers. */
export function queryNames(channel: Channel, address: string): Promise<string[]> {
  return channel.reverse(address);
}
