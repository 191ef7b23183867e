/** A daemon failure with a stable code, for callers that branch on what went wrong. */
export class DaemonError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DaemonError";
    this.code = code;
  }
}
