import * as classify from "./classify.js";
import { IPParseError, IPValueError, familyLength } from "./errors.js";
import { isIPv4MappedBytes } from "./format.js";
import { fromHex, toHex } from "./hex.js";
import { inetNtop } from "./inet.js";
import { parseIPv4 } from "./parse-ipv4.js";
import { parseIPv6 } from "./parse-ipv6.js";

// Builds an address over bytes it now owns, without a copy (set once by the class below).
let own: (bytes: Uint8Array, zone: string | undefined) => IPAddress;

/**
 * An IPv4 or IPv6 address: an immutable value over its bytes, like Go's netip.Addr.
 * Parse once; classification, formatting and comparison then work on the bytes.
 * IPv4-mapped IPv6 addresses stay IPv6 (family 6) until `unmap()`.
 */
export class IPAddress {
  readonly family: 4 | 6;
  /** IPv6 scope zone such as "eth0" in fe80::1%eth0, or undefined. */
  readonly zone: string | undefined;
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array, zone: string | undefined) {
    this.#bytes = bytes;
    this.family = bytes.length === 4 ? 4 : 6;
    this.zone = zone;
    Object.freeze(this);
  }

  static {
    own = (bytes, zone) => new IPAddress(bytes, zone);
  }

  /** An address from 4 or 16 bytes (copied); a zone only for IPv6. */
  static fromBytes(bytes: Uint8Array | readonly number[], zone?: string): IPAddress {
    if (bytes.length !== 4 && bytes.length !== 16) throw new IPValueError(`an address has 4 or 16 bytes, not ${bytes.length}`);
    for (const byte of bytes) {
      // Only an integer 0-255 equals its own low 8 bits.
      if (byte !== (byte & 255)) throw new IPValueError(`${byte} is not a byte`);
    }
    checkZone(bytes.length, zone);
    return new IPAddress(Uint8Array.from(bytes), zone);
  }

  /** The address whose bytes are the big-endian value, 0 to 2^32-1 (family 4) or 2^128-1 (family 6). */
  static fromBigInt(value: bigint, family: 4 | 6): IPAddress {
    const length = familyLength(family);
    if (value < 0n || value >> BigInt(length * 8) !== 0n) throw new IPValueError(`${value} is out of range for IPv${family}`);
    return new IPAddress(fromHex(value.toString(16).padStart(length * 2, "0")), undefined);
  }

  /** The IPv4 address of an unsigned 32-bit integer. */
  static fromNumber(value: number): IPAddress {
    if (value !== value >>> 0) throw new IPValueError(`${value} is not a uint32`);
    // Uint8Array.of keeps the low 8 bits of each.
    return new IPAddress(Uint8Array.of(value >>> 24, value >>> 16, value >>> 8, value), undefined);
  }

  /** A copy of the 4 or 16 bytes, network order. */
  get bytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** Canonical text: dotted quad, or RFC 5952 IPv6 with `%zone` when there is one. */
  toString(): string {
    const text = inetNtop(this.family, this.#bytes);
    return this.zone === undefined ? text : `${text}%${this.zone}`;
  }

  toJSON(): string {
    return this.toString();
  }

  toBigInt(): bigint {
    return BigInt(`0x${toHex(this.#bytes)}`);
  }

  /** The unsigned 32-bit integer of an IPv4 address; throws for IPv6 (use toBigInt). */
  toNumber(): number {
    if (this.family !== 4) throw new IPValueError("IPv6: use toBigInt()");
    return this.#bytes.reduce((value, byte) => value * 256 + byte, 0);
  }

  /** Same family, bytes and zone. */
  equals(other: IPAddress): boolean {
    return this.compare(other) === 0;
  }

  /** Orders IPv4 before IPv6, then by bytes, then by zone (none first): -1, 0 or 1. */
  compare(other: IPAddress): -1 | 0 | 1 {
    if (this.family !== other.family) return this.family < other.family ? -1 : 1;
    const a = this.#bytes;
    const b = other.#bytes;
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? 0;
      const y = b[i] ?? 0;
      if (x !== y) return x < y ? -1 : 1;
    }
    // A zone is never empty, so "" puts an address without one first.
    const zone = this.zone ?? "";
    const otherZone = other.zone ?? "";
    return zone === otherZone ? 0 : zone < otherZone ? -1 : 1;
  }

  /** True for ::ffff:a.b.c.d. */
  isIPv4Mapped(): boolean {
    // 4 bytes never match: their byte 4 is undefined, not 0.
    return isIPv4MappedBytes(this.#bytes);
  }

  /** The IPv4 address inside ::ffff:a.b.c.d; any other address unchanged. */
  unmap(): IPAddress {
    return this.isIPv4Mapped() ? new IPAddress(this.#bytes.slice(12), undefined) : this;
  }

  /** The address after this one (same zone), or undefined after the last. */
  next(): IPAddress | undefined {
    return this.#step(1);
  }

  /** The address before this one (same zone), or undefined before the first. */
  prev(): IPAddress | undefined {
    return this.#step(-1);
  }

  #step(delta: 1 | -1): IPAddress | undefined {
    const bytes = this.#bytes.slice();
    for (let i = bytes.length - 1; i >= 0; i--) {
      const value = (bytes[i] ?? 0) + delta;
      bytes[i] = value;
      if (value === (value & 255)) return new IPAddress(bytes, this.zone);
    }
    return undefined;
  }

  isLoopback(): boolean {
    return classify.isLoopback(this.#bytes);
  }

  /** Not globally reachable per the IANA registries (false for 100.64.0.0/10, which is not global either). */
  isPrivate(): boolean {
    return classify.isPrivate(this.#bytes);
  }

  /** Globally reachable per the IANA registries. */
  isGlobal(): boolean {
    return classify.isGlobal(this.#bytes);
  }

  isLinkLocal(): boolean {
    return classify.isLinkLocal(this.#bytes);
  }

  isMulticast(): boolean {
    return classify.isMulticast(this.#bytes);
  }

  isUnspecified(): boolean {
    return classify.isUnspecified(this.#bytes);
  }

  /** IETF reserved: 240.0.0.0/4, or the IPv6 blocks Python lists as reserved. */
  isReserved(): boolean {
    return classify.isReserved(this.#bytes);
  }
}

function checkZone(length: number, zone: string | undefined): void {
  if (zone === undefined) return;
  if (length !== 16) throw new IPValueError("only IPv6 addresses have a zone");
  if (zone === "" || zone.includes("%")) throw new IPValueError("bad zone");
}

/**
 * Strict address text: a dotted quad as inet_pton(AF_INET) takes it, or RFC 4291 IPv6 as
 * inet_pton(AF_INET6) takes it, plus an optional `%zone` on IPv6. Throws IPParseError.
 */
export function parseAddress(text: string): IPAddress {
  const result = parseOrProblem(text);
  if (result instanceof IPAddress) return result;
  throw new IPParseError(result.what, text, result);
}

/** parseAddress, or undefined when the text is not an address. */
export function tryParseAddress(text: string): IPAddress | undefined {
  const result = parseOrProblem(text);
  return result instanceof IPAddress ? result : undefined;
}

/** The address, or what is wrong with the text (and whether it was read as IPv4 or IPv6). */
export function parseOrProblem(text: string): IPAddress | { what: string; index: number; reason: string } {
  if (text.includes(":")) {
    const percent = text.indexOf("%");
    const end = percent < 0 ? text.length : percent;
    // A zone is non-empty and holds no second "%".
    const bad = percent < 0 ? -1 : percent === text.length - 1 ? percent + 1 : text.indexOf("%", percent + 1);
    if (bad >= 0) return { what: "IPv6 address", index: bad, reason: "bad zone" };
    const bytes = new Uint8Array(16);
    const problem = parseIPv6(text, 0, end, bytes, 0);
    if (problem) return { what: "IPv6 address", ...problem };
    return own(bytes, percent < 0 ? undefined : text.slice(percent + 1));
  }
  const bytes = new Uint8Array(4);
  const problem = parseIPv4(text, 0, text.length, bytes, 0);
  if (problem) return { what: "IPv4 address", ...problem };
  return own(bytes, undefined);
}
