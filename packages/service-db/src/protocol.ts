/** A transport protocol the IANA registry assigns ports on. */
export type Protocol = "tcp" | "udp" | "sctp" | "dccp";

/** Known protocols, in the order a lookup without a protocol tries them. */
export const PROTOCOLS: readonly Protocol[] = Object.freeze(["tcp", "udp", "sctp", "dccp"]);

const INDEX = new Map<string, number>(PROTOCOLS.map((protocol, index) => [protocol, index]));

/** The position of a protocol in PROTOCOLS, or -1. */
export function protocolIndex(protocol: string): number {
  return INDEX.get(protocol) ?? -1;
}

/** The position in PROTOCOLS of a protocol given in any case, or throws a TypeError listing the known ones. */
export function checkedProtocolIndex(protocol: string): number {
  return INDEX.get(protocol) ?? protocolIndex(parseProtocol(protocol));
}

/** Returns the protocol in lower case, or throws a TypeError listing the known ones. */
export function parseProtocol(protocol: string): Protocol {
  const lower = typeof protocol === "string" ? protocol.toLowerCase() : "";
  const index = protocolIndex(lower);
  if (index < 0) {
    throw new TypeError(`unknown protocol ${JSON.stringify(protocol)}: expected one of ${PROTOCOLS.join(", ")}`);
  }
  return PROTOCOLS[index] as Protocol;
}
