/** Why a lookup failed, in words a person can act on. */
export type ResolveErrorCode =
  | "NOT_FOUND"
  | "NO_DATA"
  | "TIMEOUT"
  | "ABORTED"
  | "REFUSED"
  | "SERVFAIL"
  | "BAD_NAME"
  | "BAD_ADDRESS"
  | "BAD_RESPONSE"
  | "NOT_IMPLEMENTED"
  | "UNREACHABLE"
  | "TEMPORARY_FAILURE"
  | "FAILED";

const reasons: Record<ResolveErrorCode, string> = {
  NOT_FOUND: "no such host",
  NO_DATA: "the host has no address of that family",
  TIMEOUT: "timed out",
  ABORTED: "aborted",
  REFUSED: "the DNS server refused the query",
  SERVFAIL: "the DNS server failed (SERVFAIL)",
  BAD_NAME: "not a valid host name",
  BAD_ADDRESS: "not an IP address",
  BAD_RESPONSE: "the DNS server sent a malformed answer",
  NOT_IMPLEMENTED: "the DNS server does not implement this query",
  UNREACHABLE: "could not contact the DNS server",
  TEMPORARY_FAILURE: "temporary failure in name resolution",
  FAILED: "lookup failed",
};

// Node's dns error codes (c-ares and getaddrinfo) to ours.
const fromNodeCode: Record<string, ResolveErrorCode> = {
  ENOTFOUND: "NOT_FOUND",
  ENODATA: "NO_DATA",
  ETIMEOUT: "TIMEOUT",
  ECANCELLED: "ABORTED",
  EREFUSED: "REFUSED",
  ESERVFAIL: "SERVFAIL",
  EBADNAME: "BAD_NAME",
  EBADQUERY: "BAD_NAME",
  EFORMERR: "BAD_RESPONSE",
  EBADRESP: "BAD_RESPONSE",
  ENOTIMP: "NOT_IMPLEMENTED",
  ECONNREFUSED: "UNREACHABLE",
  EAI_AGAIN: "TEMPORARY_FAILURE",
  EAI_FAIL: "SERVFAIL",
  EAI_NODATA: "NO_DATA",
  EAI_NONAME: "NOT_FOUND",
};

export interface ResolveErrorOptions {
  /** The reason in words, when the code's default does not say enough. */
  reason?: string;
  cause?: unknown;
  /** "resolve" for names to addresses, "reverse" for addresses to names. */
  operation?: "resolve" | "reverse";
}

/** A failed forward or reverse lookup: `host` says what, `code` says why. */
export class ResolveError extends Error {
  override name = "ResolveError";
  readonly code: ResolveErrorCode;
  readonly host: string;
  readonly reason: string;
  readonly operation: "resolve" | "reverse";

  constructor(host: string, code: ResolveErrorCode, options: ResolveErrorOptions = {}) {
    const reason = options.reason ?? reasons[code];
    const operation = options.operation ?? "resolve";
    const verb = operation === "reverse" ? "could not reverse-resolve" : "could not resolve";
    super(`${verb} ${host}: ${reason}`, { cause: options.cause });
    this.code = code;
    this.host = host;
    this.reason = reason;
    this.operation = operation;
  }
}

/** Our code for one of Node's dns error codes ("FAILED" for one we do not know). */
export function resolveErrorCode(nodeCode: string | undefined): ResolveErrorCode {
  return (nodeCode !== undefined && fromNodeCode[nodeCode]) || "FAILED";
}

/** Wraps an error thrown by node:dns; a ResolveError passes through unchanged. */
export function toResolveError(
  error: unknown,
  host: string,
  operation: "resolve" | "reverse" = "resolve",
): ResolveError {
  if (error instanceof ResolveError) return error;
  const nodeCode = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = resolveErrorCode(nodeCode);
  const reason = code === "FAILED" && error instanceof Error ? error.message : undefined;
  return new ResolveError(host, code, { cause: error, operation, ...(reason === undefined ? {} : { reason }) });
}
