// Typed errors of the load generator, whose messages name the limit that stopped it, with counts.

const meanings: Record<string, string> = {
  EMFILE: "a load worker ran out of open files",
  ENFILE: "the system ran out of open files",
  EADDRNOTAVAIL: "no free source port or address",
  EADDRINUSE: "no free source port",
  ECONNREFUSED: "nothing listening",
  ECONNRESET: "connection reset by the server",
  ETIMEDOUT: "connect timed out",
  timeout: "no 001 in time",
  refused: "the server sent ERROR",
  closed: "the server closed the connection before 001",
  nick: "nick refused",
};

/** "120 EMFILE (a load worker ran out of open files), 3 refused (ERROR :Too many connections)". */
export function describeFailures(failures: Record<string, number>, examples: Record<string, string>): string {
  return Object.entries(failures)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => {
      const example = kind === "refused" ? examples[kind] : undefined;
      return `${count} ${kind} (${example ?? meanings[kind] ?? examples[kind] ?? "failed"})`;
    })
    .join(", ");
}

/** A limit stopped the load before it reached its size: `reached` of `wanted`, and why. */
export class LoadLimitError extends Error {
  override readonly name = "LoadLimitError";
  constructor(
    readonly phase: "register" | "join" | "send" | "quits",
    readonly reached: number,
    readonly wanted: number,
    readonly failures: Record<string, number>,
    reason: string,
  ) {
    super(`${phase} stopped at ${reached} of ${wanted}: ${reason}`);
  }
}

/** A worker process exited while the coordinator still needed it. */
export class LoadWorkerError extends Error {
  override readonly name = "LoadWorkerError";
  constructor(
    readonly worker: number,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`load worker ${worker} exited (${code ?? signal})`);
  }
}
