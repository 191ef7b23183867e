import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";

export interface WorkerPoolOptions {
  workers: number;
  /** Program name, for the line on stderr when no worker could listen. */
  name?: string;
  /** Where that line goes; stderr by default. */
  stderr?: (line: string) => void;
  log: Logger;
  /** How long workers get to drain after the primary is signalled, before they are killed. */
  shutdownGraceMs: number;
  /** Delay before restarting a worker that died; doubles while workers die young (capped at 10 s). */
  restartDelayMs?: number;
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
}

export interface WorkerPool {
  /** Workers alive now. */
  readonly size: number;
  /** Worker restarts since start. */
  readonly restarts: number;
  /** Resolves once every first-generation worker has said it is listening. */
  readonly ready: Promise<void>;
}

const YOUNG_MS = 2000;

/**
 * In the cluster primary: forks `workers` processes running the same entry point, restarts
 * any that dies, and on SIGINT/SIGTERM forwards the signal and exits 0 once all have drained
 * (a second signal kills them and exits 1). If a worker dies before any worker has listened,
 * the pool stops and exits 1 (a port in use would otherwise restart forever).
 */
export function startWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const baseDelay = options.restartDelayMs ?? 100;
  let delay = baseDelay;
  let stopping = false;
  let restarts = 0;
  let listening = 0;
  let anyListened = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const born = new Map<Worker, number>();
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Why the first worker could not listen, from the worker itself (runDaemon sends it).
  let cannotListen: string | undefined;

  const fork = (): void => {
    const worker = cluster.fork();
    born.set(worker, Date.now());
    worker.on("message", (message: unknown) => {
      const m = message as { netlab?: unknown; line?: unknown } | null;
      if (m?.netlab === "cannot-listen" && typeof m.line === "string") cannotListen ??= m.line;
    });
    worker.once("listening", () => {
      anyListened = true;
      listening++;
      if (listening >= options.workers) markReady();
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    const bornAt = born.get(worker) ?? 0;
    born.delete(worker);
    if (stopping) {
      if (born.size === 0) {
        options.log.info("all workers stopped");
        exit(0);
      }
      return;
    }
    if (!anyListened) {
      // No worker ever listened (port in use, bad config): restarting would only loop.
      options.log.fatal({ workerPid: worker.process.pid, code, signal }, "worker failed before listening; stopping");
      // Every worker fails alike (they listen on the same ports): the person is told once.
      stderr(cannotListen ?? `${options.name ?? "daemon"}: a worker exited before listening (code ${code ?? signal}); see the log`);
      stopping = true;
      for (const other of born.keys()) other.process.kill("SIGKILL");
      exit(1);
      return;
    }
    delay = Date.now() - bornAt < YOUNG_MS ? Math.min(delay * 2, 10_000) : baseDelay;
    options.log.warn({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, "worker died; restarting");
    restarts++;
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.log.warn({ signal }, "second signal: killing workers");
      for (const worker of born.keys()) worker.process.kill("SIGKILL");
      exit(1);
      return;
    }
    stopping = true;
    options.log.info({ signal, workers: born.size, graceMs: options.shutdownGraceMs }, "shutting down workers");
    if (born.size === 0) exit(0);
    for (const worker of born.keys()) worker.process.kill(signal);
    setTimeout(() => {
      options.log.warn("workers did not stop in time: killing them");
      for (const worker of born.keys()) worker.process.kill("SIGKILL");
    }, options.shutdownGraceMs + 2000).unref();
  };
  for (const signal of options.signals ?? ["SIGINT", "SIGTERM"]) process.on(signal, onSignal);

  for (let i = 0; i < options.workers; i++) fork();
  return {
    get size() {
      return born.size;
    },
    get restarts() {
      return restarts;
    },
    ready,
  };
}
