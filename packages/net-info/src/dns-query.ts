import type { Channel } from "./channel-pool.js";
import type { ResolvedAddress } from "./resolved-address.js";

type Records = { address: string; ttl: number }[];

// A fresh object of one shape for every record: adding `family` to Node's own objects
// instead was slower (a hidden-class change per object).
function tag(list: Records, family: 4 | 6): ResolvedAddress[] {
  const result: ResolvedAddress[] = new Array<ResolvedAddress>(list.length);
  for (let i = 0; i < list.length; i++) {
    const { address, ttl } = list[i] as Records[number];
    result[i] = { address, family, ttl };
  }
  return result;
}

/** Our shape of the records from queryRecords(), by family. */
export const shapeRecords = {
  4: (list: Records): ResolvedAddress[] => tag(list, 4),
  6: (list: Records): ResolvedAddress[] => tag(list, 6),
} as const;

export type BothFamilies = [PromiseSettledResult<Records>, PromiseSettledResult<Records>];

/** A and AAAA records of host at once, each settled on its own. */
export function queryBothFamilies(channel: Channel, host: string): Promise<BothFamilies> {
  return Promise.allSettled([queryRecords(channel, host, 4), queryRecords(channel, host, 6)] as const);
}

/** queryBothFamilies()'s answers in our shape, for combineFamilies(). */
export function shapeBothFamilies([a, aaaa]: BothFamilies): PromiseSettledResult<ResolvedAddress[]>[] {
  const shape = (result: PromiseSettledResult<Records>, family: 4 | 6): PromiseSettledResult<ResolvedAddress[]> =>
    result.status === "fulfilled" ? { status: "fulfilled", value: tag(result.value, family) } : result;
  return [shape(a, 4), shape(aaaa, 6)];
}

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
