import type { Protocol } from "./protocol.js";

/** Thrown by getServByPort/getServByName where the C calls fail ("port 9/sctp not found"). */
export class ServiceNotFoundError extends Error {
  readonly code = "SERVICE_NOT_FOUND";
  /** The port or name that was looked up. */
  readonly input: number | string;
  readonly protocol: Protocol | undefined;

  constructor(input: number | string, protocol: Protocol | undefined) {
    const what = typeof input === "number" ? `port ${String(input)}` : `service ${input}`;
    super(`${what}${protocol === undefined ? "" : `/${protocol}`} not found`);
    this.name = "ServiceNotFoundError";
    this.input = input;
    this.protocol = protocol;
  }
}
