export type EchoClientErrorCode =
  | "CONNECT_TIMEOUT"
  | "READ_TIMEOUT"
  | "REFUSED"
  | "RESET"
  | "DNS"
  | "CLOSED_EARLY"
  | "MISMATCH"
  | "TLS"
  | "NETWORK";

/** An expected echo failure: its message is one line fit for stderr. */
export class EchoClientError extends Error {
  readonly code: EchoClientErrorCode;
  readonly target: string;
  constructor(code: EchoClientErrorCode, target: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EchoClientError";
    this.code = code;
    this.target = target;
  }
}

/** Turns a socket or lookup error into the one-line message for what happened. */
export function describeNetworkError(error: unknown, target: string): EchoClientError {
  if (error instanceof EchoClientError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return new EchoClientError("REFUSED", target, `connection refused by ${target}: is an echo server running there?`, { cause: error });
    case "ECONNRESET":
    case "EPIPE":
      return new EchoClientError("RESET", target, `connection reset by ${target}`, { cause: error });
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "ENODATA":
      return new EchoClientError("DNS", target, `cannot resolve ${target.replace(/:\d+$/, "")}: ${code}`, { cause: error });
    default:
      if (code.startsWith("ERR_TLS") || code.includes("CERT") || /SSL|TLS|certificate/i.test(detail)) {
        return new EchoClientError("TLS", target, `TLS failed with ${target}: ${detail}`, { cause: error });
      }
      return new EchoClientError("NETWORK", target, `network error with ${target}: ${detail}`, { cause: error });
  }
}
