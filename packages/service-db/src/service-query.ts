import { assertPort } from "./port.js";
import { parseProtocol, type Protocol } from "./protocol.js";

/** A command-line query: "80", "53/udp", "ssh" or "imaps/tcp". */
export interface ServiceQuery<T extends number | string> {
  readonly value: T;
  readonly protocol: Protocol | undefined;
}

function split(text: string): [string, Protocol | undefined] {
  const slash = text.lastIndexOf("/");
  return slash < 0 ? [text, undefined] : [text.slice(0, slash), parseProtocol(text.slice(slash + 1))];
}

/** Parses "80" or "53/udp"; throws RangeError or TypeError on a bad port or protocol. */
export function parsePortQuery(text: string): ServiceQuery<number> {
  const [portText, protocol] = split(text);
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (Number.isNaN(port)) throw new RangeError(`port must be an integer in 0..65535, got ${JSON.stringify(portText)}`);
  assertPort(port);
  return { value: port, protocol };
}

/** Parses "ssh" or "imaps/tcp". */
export function parseNameQuery(text: string): ServiceQuery<string> {
  const [name, protocol] = split(text);
  return { value: name, protocol };
}
