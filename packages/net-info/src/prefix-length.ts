import { isIPv4, isIPv6 } from "node:net";

// The 16-bit groups of an IPv6 address, with "::" expanded; undefined for anything else.
function ipv6Groups(text: string): number[] | undefined {
  if (!isIPv6(text) || text.includes(".") || text.includes("%")) return undefined;
  const [head = "", tail] = text.split("::");
  const parse = (part: string): number[] => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = 8 - left.length - right.length;
  return [...left, ...new Array<number>(zeros).fill(0), ...right];
}

// Counts leading one bits; undefined when a one follows a zero (a non-contiguous mask).
function leadingOnes(values: number[], width: number): number | undefined {
  let count = 0;
  let seenZero = false;
  for (const value of values) {
    for (let bit = width - 1; bit >= 0; bit--) {
      const one = ((value >> bit) & 1) === 1;
      if (one && seenZero) return undefined;
      if (one) count++;
      else seenZero = true;
    }
  }
  return count;
}

/**
 * The prefix length (CIDR bits) of a netmask such as "255.255.255.0" or "ffff:ffff::";
 * undefined when the text is not a netmask.
 */
export function prefixLengthOf(netmask: string): number | undefined {
  if (isIPv4(netmask)) return leadingOnes(netmask.split(".").map(Number), 8);
  const groups = ipv6Groups(netmask);
  return groups === undefined ? undefined : leadingOnes(groups, 16);
}
