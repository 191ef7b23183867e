import type { Logger } from "pino";

export interface ShutdownSignalOptions {
  log: Logger;
  /** How long open work may take to finish before it is cut. */
  graceMs: number;
  /** Stops accepting, waits up to graceMs for open work, closes the rest. */
  shutdown: (graceMs: number) => Promise<void>;
  signals?: readonly NodeJS.Signals[];
  /** process.exit by default; tests pass their own. */
  exit?: (code: number) => void;
  /** process by default. */
  emitter?: NodeJS.EventEmitter;
}

/**
 * First SIGINT/SIGTERM: a graceful shutdown, then exit 0 (1 if the shutdown failed).
 * A second signal exits at once with code 1. Returns a function that removes the handlers.
 */
export function handleShutdownSignals(options: ShutdownSignalOptions): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const emitter = options.emitter ?? process;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.log.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    stopping = true;
    options.log.info({ signal, graceMs: options.graceMs }, "shutting down");
    options.shutdown(options.graceMs).then(
      () => {
        options.log.info("stopped");
        exit(0);
      },
      (error: unknown) => {
        options.log.error({ err: error }, "shutdown failed");
        exit(1);
      },
    );
  };
  for (const signal of signals) emitter.on(signal, onSignal);
  return () => {
    for (const signal of signals) emitter.off(signal, onSignal);
  };
}
