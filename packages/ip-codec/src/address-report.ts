import type { IPAddress } from "./address.js";
import { toHex } from "./hex.js";

/** What the CLI reports about one address. */
export interface AddressReport {
  input: string;
  address: string;
  family: 4 | 6;
  packed: string;
  /** Decimal; a string because IPv6 integers exceed Number. */
  integer: string;
  classes: string[];
}

const CLASSIFIERS = [
  ["unspecified", (a: IPAddress) => a.isUnspecified()],
  ["loopback", (a: IPAddress) => a.isLoopback()],
  ["link-local", (a: IPAddress) => a.isLinkLocal()],
  ["multicast", (a: IPAddress) => a.isMulticast()],
  ["reserved", (a: IPAddress) => a.isReserved()],
  ["ipv4-mapped", (a: IPAddress) => a.isIPv4Mapped()],
  ["private", (a: IPAddress) => a.isPrivate()],
  ["global", (a: IPAddress) => a.isGlobal()],
] as const;

export function describeAddress(input: string, address: IPAddress): AddressReport {
  return {
    input,
    address: address.toString(),
    family: address.family,
    packed: toHex(address.bytes),
    integer: address.toBigInt().toString(),
    classes: CLASSIFIERS.filter(([, test]) => test(address)).map(([name]) => name),
  };
}

/** The lab's line, then the integer and the classes. */
export function formatReport(report: AddressReport): string {
  return [
    `IP Address: ${report.input} => Packed: ${report.packed}, Unpacked: ${report.address}`,
    `  Integer: ${report.integer}`,
    `  Classes: ${report.classes.length > 0 ? report.classes.join(", ") : "none (not global)"}`,
  ].join("\n");
}
