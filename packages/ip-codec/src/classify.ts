import { bitsMatch } from "./bits-match.js";
import { isIPv4MappedBytes } from "./format.js";

// Classification follows the IANA IPv4 and IPv6 Special-Purpose Address Registries, with the
// same answers as Python 3.13's ipaddress. Every test works on bytes, never on text.

/** A block: leading bytes of its first address (trailing zero bytes left out), and its prefix length. */
type Block = readonly [bytes: readonly number[], bits: number];

// Not globally reachable (IANA IPv4 registry), Python's IPv4 _private_networks.
const IPV4_PRIVATE: readonly Block[] = [
  [[0], 8],
  [[10], 8],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192], 24], // 192.0.0.0/24
  [[192, 0, 0, 170], 31],
  [[192, 0, 2], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[240], 4], // also covers 255.255.255.255/32
];
// Globally reachable exceptions inside those blocks (PCP and TURN anycast).
const IPV4_PRIVATE_EXCEPTIONS: readonly Block[] = [
  [[192, 0, 0, 9], 32],
  [[192, 0, 0, 10], 32],
];

// Not globally reachable (IANA IPv6 registry); ::ffff:0:0/96 is judged by its IPv4 address.
const IPV6_PRIVATE: readonly Block[] = [
  [[], 127], // ::/127 covers :: and ::1
  [[0, 0x64, 0xff, 0x9b, 0, 1], 48],
  [[1], 64], // 100::/64
  [[0x20, 0x01], 23],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0x20, 0x02], 16],
  [[0xfc], 7],
  [[0xfe, 0x80], 10],
];
const IPV6_PRIVATE_EXCEPTIONS: readonly Block[] = [
  [[0x20, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128],
  [[0x20, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 128],
  [[0x20, 0x01, 0, 3], 32],
  [[0x20, 0x01, 0, 4, 0x01, 0x12], 48],
  [[0x20, 0x01, 0, 0x20], 27], // 2001:20::/28 and 2001:30::/28
];
function inAny(bytes: Uint8Array, offset: number, blocks: readonly Block[]): boolean {
  for (const [prefix, bits] of blocks) if (bitsMatch(bytes, offset, prefix, bits)) return true;
  return false;
}

export function isUnspecified(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/** IPv4 at offset 0, or the IPv4 inside ::ffff:a.b.c.d at offset 12, or -1. */
function ipv4Offset(bytes: Uint8Array): number {
  if (bytes.length === 4) return 0;
  return isIPv4MappedBytes(bytes) ? 12 : -1;
}

export function isLoopback(bytes: Uint8Array): boolean {
  const v4 = ipv4Offset(bytes);
  if (v4 >= 0) return bytes[v4] === 127;
  return bytes[15] === 1 && isUnspecified(bytes.subarray(0, 15));
}

export function isPrivate(bytes: Uint8Array): boolean {
  const v4 = ipv4Offset(bytes);
  if (v4 >= 0) return inAny(bytes, v4, IPV4_PRIVATE) && !inAny(bytes, v4, IPV4_PRIVATE_EXCEPTIONS);
  return inAny(bytes, 0, IPV6_PRIVATE) && !inAny(bytes, 0, IPV6_PRIVATE_EXCEPTIONS);
}

// The shared address space 100.64.0.0/10 (RFC 6598) is neither private nor global.
// For ::ffff:100.64.0.0/106 this says false, as for 100.64.0.0/10; Python 3.13.0 says true (python/cpython#107205).
export function isGlobal(bytes: Uint8Array): boolean {
  const v4 = ipv4Offset(bytes);
  if (v4 >= 0 && bitsMatch(bytes, v4, [100, 64], 10)) return false;
  return !isPrivate(bytes);
}

export function isLinkLocal(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return bytes[0] === 169 && bytes[1] === 254;
  return bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80;
}

export function isMulticast(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return ((bytes[0] ?? 0) & 0xf0) === 0xe0;
  return bytes[0] === 0xff;
}


export function isReserved(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return ((bytes[0] ?? 0) & 0xf0) === 0xf0;
  // Python's reserved list is every block outside 2000::/3, fc00::/7, fe80::/10, fec0::/10 and ff00::/8.
  const first = bytes[0] ?? 0;
  if ((first & 0xe0) === 0x20 || (first & 0xfe) === 0xfc || first === 0xff) return false;
  return !(first === 0xfe && ((bytes[1] ?? 0) & 0x80) !== 0);
}
