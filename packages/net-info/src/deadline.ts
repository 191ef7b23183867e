import { ResolveError, toResolveError } from "./resolve-error.js";

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
 * Settles with `work` (its failures as ResolveError), or rejects with TIMEOUT after
 * timeoutMs or ABORTED when the signal fires, whichever comes first; `done` runs once
 * either way. It does not stop `work`: `done` learns whether work settled and can cancel it.
 */
export function withDeadline<T, R = T>(
  work: Promise<R>,
  deadline: Deadline,
  done: (workSettled: boolean) => void,
  // Shapes work's value in the same step, one promise hop fewer on the hot path.
  shape: (value: R) => T = (value) => value as unknown as T,
): Promise<T> {
  const { signal, timeoutMs } = deadline;
  return new Promise<T>((resolve, reject) => {
    // A plain timer per lookup: Node keeps timers of one duration in one list, and reads
    // the loop's cached clock; a home-made timer wheel reading performance.now() was slower.
    let over = false;
    const finish = (workSettled: boolean): boolean => {
      if (over) return false;
      over = true;
      clearTimeout(timer);
      if (signal !== undefined) signal.removeEventListener("abort", onAbort);
      done(workSettled);
      return true;
    };
    const onAbort = (): void => {
      if (finish(false)) reject(deadlineError(deadline, "ABORTED"));
    };
    const timer = setTimeout(() => {
      if (finish(false)) reject(deadlineError(deadline, "TIMEOUT"));
    }, timeoutMs);
    if (signal !== undefined) signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        if (!finish(true)) return;
        try {
          resolve(shape(value));
        } catch (error) {
          reject(toResolveError(error, deadline.host, deadline.operation));
        }
      },
      (error: unknown) => {
        if (finish(true)) reject(toResolveError(error, deadline.host, deadline.operation));
      },
    );
  });
}
