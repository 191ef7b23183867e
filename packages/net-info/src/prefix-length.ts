import { tryParseAddress } from "@netlab/ip-codec";

/**
 * The prefix length (CIDR bits) of a netmask such as "255.255.255.0" or "ffff:ffff::";
 * undefined when the text is not a netmask (not an address, a zone, or a one after a zero).
 */
export function prefixLengthOf(netmask: string): number | undefined {
  const mask = tryParseAddress(netmask);
  if (mask === undefined || mask.zone !== undefined) return undefined;
  let count = 0;
  let seenZero = false;
  for (const byte of mask.bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = ((byte >> bit) & 1) === 1;
      if (one && seenZero) return undefined;
      if (one) count++;
      else seenZero = true;
    }
  }
  return count;
}
