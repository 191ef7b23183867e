import { IPAddress, parseOrProblem } from "./address.js";
import { bitsMatch } from "./bits-match.js";
import { IPParseError, IPValueError } from "./errors.js";

/**
 * An IP network prefix such as 10.0.0.0/8 or 2001:db8::/32: an address and a bit count.
 * The address may have host bits set (10.1.2.3/8); masked() clears them.
 */
export class IPPrefix {
  readonly address: IPAddress;
  readonly bits: number;

  constructor(address: IPAddress, bits: number) {
    const max = address.family === 4 ? 32 : 128;
    if (bits !== (bits & 255) || bits > max) throw new IPValueError(`prefix length ${bits} is not 0 to ${max}`);
    if (address.zone !== undefined) throw new IPValueError("a prefix has no zone");
    this.address = address;
    this.bits = bits;
    Object.freeze(this);
  }

  /** True when addr is of the same family, has no zone, and its first `bits` bits match. Use unmap() first to test ::ffff:a.b.c.d against an IPv4 prefix. */
  contains(addr: IPAddress): boolean {
    if (addr.family !== this.address.family || addr.zone !== undefined) return false;
    return bitsMatch(addr.bytes, 0, this.address.bytes, this.bits);
  }

  /** True when the two prefixes share at least one address. */
  overlaps(other: IPPrefix): boolean {
    if (other.address.family !== this.address.family) return false;
    return bitsMatch(other.address.bytes, 0, this.address.bytes, Math.min(this.bits, other.bits));
  }

  /** The same prefix with the host bits of its address cleared: 10.1.2.3/8 -> 10.0.0.0/8. */
  masked(): IPPrefix {
    return new IPPrefix(this.first(), this.bits);
  }

  /** The first address in the prefix (host bits all 0). */
  first(): IPAddress {
    return IPAddress.fromBytes(setHostBits(this.address.bytes, this.bits, 0));
  }

  /** The last address in the prefix (host bits all 1). */
  last(): IPAddress {
    return IPAddress.fromBytes(setHostBits(this.address.bytes, this.bits, 0xff));
  }

  /** The number of addresses in the prefix. */
  size(): bigint {
    return 1n << BigInt(this.address.bytes.length * 8 - this.bits);
  }

  equals(other: IPPrefix): boolean {
    return this.bits === other.bits && this.address.equals(other.address);
  }

  toString(): string {
    return `${this.address.toString()}/${this.bits}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** bytes with every bit after the first `bits` set to 0 (fill 0) or 1 (fill 0xff). */
function setHostBits(bytes: Uint8Array, bits: number, fill: 0 | 0xff): Uint8Array {
  const whole = bits >> 3;
  const rest = bits & 7;
  if (rest !== 0) {
    const host = 0xff >> rest;
    bytes[whole] = fill === 0 ? (bytes[whole] ?? 0) & ~host : (bytes[whole] ?? 0) | host;
  }
  bytes.fill(fill, rest === 0 ? whole : whole + 1);
  return bytes;
}

/**
 * Strict prefix text: a strict address (no zone), "/", and a decimal length without
 * leading zeros, 0-32 for IPv4 or 0-128 for IPv6. Throws IPParseError.
 */
export function parsePrefix(text: string): IPPrefix {
  const slash = text.lastIndexOf("/");
  if (slash < 0) throw new IPParseError("IP prefix", text, { index: text.length, reason: "no \"/\" and prefix length" });
  const addressText = text.slice(0, slash);
  if (addressText.includes("%")) throw new IPParseError("IP prefix", text, { index: addressText.indexOf("%"), reason: "a prefix has no zone" });
  const address = parseOrProblem(addressText);
  if (!(address instanceof IPAddress)) throw new IPParseError("IP prefix", text, address);
  const max = address.family === 4 ? 32 : 128;
  let bits = 0;
  let i = slash + 1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57 || (i > slash + 1 && bits === 0) || bits * 10 + c - 48 > max) break;
    bits = bits * 10 + c - 48;
  }
  if (i !== text.length || i === slash + 1) throw new IPParseError("IP prefix", text, { index: i, reason: `prefix length must be 0 to ${max}, without leading zeros` });
  return new IPPrefix(address, bits);
}

/** parsePrefix, or undefined when the text is not a prefix. */
export function tryParsePrefix(text: string): IPPrefix | undefined {
  try {
    return parsePrefix(text);
  } catch (error) {
    if (error instanceof IPParseError) return undefined;
    throw error;
  }
}
