import { ResolveError } from "./resolve-error.js";

export interface Deadline {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  host: string;
  operation: "resolve" | "reverse";
}

/** The error for a signal that is already aborted or a timer that ran out. */
export function deadlineError(deadline: Deadline, kind: "TIMEOUT" | "ABORTED"): ResolveError {
  const { host, operation, timeoutMs, signal } = deadline;
  if (kind === "TIMEOUT") return new ResolveError(host, "TIMEOUT", { operation, reason: `timed out after ${timeoutMs} ms` });
  return new ResolveError(host, "ABORTED", { operation, cause: signal?.reason });
}

/**
 * Settles with `work`, or rejects with TIMEOUT after timeoutMs or ABORTED when the signal
 * fires, whichever comes first. It does not stop `work`: the caller cancels that.
 */
export function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const { signal, timeoutMs } = deadline;
  if (signal?.aborted) return Promise.reject(deadlineError(deadline, "ABORTED"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(deadlineError(deadline, "ABORTED"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      reject(deadlineError(deadline, "TIMEOUT"));
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
