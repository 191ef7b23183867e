import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { debugging, describeListenFailure } from "./listen-failure.js";
import { createLogger, logListening, type ListenerInfo, type Logger } from "./logger.js";
import { createDaemonMetrics, type DaemonMetrics } from "./metrics.js";
import { startMetricsServer, type MetricsServer } from "./metrics-server.js";
import type { DaemonConfig } from "./options.js";
import { handleShutdownSignals } from "./shutdown-signals.js";
import { startWorkerPool } from "./workers.js";

/** What a daemon factory returns (createEchoServer, createChatServer...). */
export interface Daemon {
  /** Opens every listener; resolves with what each is bound to. */
  listen(): Promise<ListenerInfo[]>;
  /** Stops accepting, lets open connections finish within graceMs, then closes the rest. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface DaemonContext {
  log: Logger;
  metrics: DaemonMetrics;
  config: DaemonConfig;
}

export interface RunDaemonOptions {
  /** Program name, for logs; also the metrics prefix (dashes become underscores). */
  name: string;
  config: DaemonConfig;
  create: (context: DaemonContext) => Daemon;
  /** Workers allowed (false for stateful daemons): --workers > 1 then runs one process, with a warning. */
  clusterable?: boolean;
  log?: Logger;
}

export interface RunningDaemon {
  daemon: Daemon | undefined;
  listeners: ListenerInfo[];
  metricsServer: MetricsServer | undefined;
}

/**
 * The whole life of a daemon process, for cli.ts: logger, optional worker pool, listeners with
 * their `listening` lines, /metrics and /healthz, and graceful shutdown on SIGINT/SIGTERM.
 * A failure to listen is one line on stderr (`echo-server: cannot listen on 127.0.0.1:9900:
 * address already in use`) and a `fatal` log line, both without a stack unless debugging, then
 * exit 1.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<RunningDaemon> {
  const { config } = options;
  const log = options.log ?? createLogger({ name: options.name, level: config.logLevel });
  const prefix = options.name.replace(/[^a-zA-Z0-9]+/g, "_");
  const useWorkers = config.workers > 1 && (options.clusterable ?? true);
  if (config.workers > 1 && !useWorkers) log.warn({ workers: config.workers }, "this daemon keeps state in memory: running one process");

  if (useWorkers && cluster.isPrimary) {
    log.info({ workers: config.workers }, "starting workers");
    const pool = startWorkerPool({ name: options.name, workers: config.workers, log, shutdownGraceMs: config.shutdownGraceMs });
    let metricsServer: MetricsServer | undefined;
    if (config.metricsPort !== undefined) {
      // The primary serves the sum of every worker's metrics.
      const aggregator = new AggregatorRegistry();
      try {
        metricsServer = await startMetricsServer({
          source: { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() },
          port: config.metricsPort,
          host: config.metricsHost,
          healthy: () => pool.size > 0,
        });
      } catch (error) {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
        return await cannotListen(options.name, error, { ...config, host: config.metricsHost, port: config.metricsPort }, log);
      }
      logListening(log, { protocol: "http", address: metricsServer.address().address, port: metricsServer.address().port });
    }
    return { daemon: undefined, listeners: [], metricsServer };
  }

  // Process metrics sample the event loop every 10 ms: only worth it when someone can scrape them.
  const metrics = createDaemonMetrics({ prefix, defaultMetrics: config.metricsPort !== undefined });
  if (useWorkers) {
    AggregatorRegistry.setRegistries([metrics.registry]);
    // prom-client answers the primary's metric requests only once an aggregator exists in the worker.
    new AggregatorRegistry();
  }
  const daemon = options.create({ log, metrics, config });
  let draining = false;
  let metricsServer: MetricsServer | undefined;
  // Handlers go in before listening, so a signal that arrives right after the listening line is graceful too.
  handleShutdownSignals({
    log,
    graceMs: config.shutdownGraceMs,
    shutdown: async (graceMs) => {
      draining = true;
      await daemon.close({ graceMs });
      await metricsServer?.close();
    },
  });
  let listeners: ListenerInfo[];
  try {
    listeners = await daemon.listen();
  } catch (error) {
    return await cannotListen(options.name, error, config, log);
  }
  for (const listener of listeners) logListening(log, listener);
  if (config.metricsPort !== undefined && !useWorkers) {
    try {
      metricsServer = await startMetricsServer({
        source: metrics.registry,
        port: config.metricsPort,
        host: config.metricsHost,
        healthy: () => !draining,
      });
    } catch (error) {
      return await cannotListen(options.name, error, { ...config, host: config.metricsHost, port: config.metricsPort }, log);
    }
    logListening(log, { protocol: "http", address: metricsServer.address().address, port: metricsServer.address().port });
  }
  return { daemon, listeners, metricsServer };
}

/** Message to the cluster primary from a worker that could not listen: the primary tells it once. */
export interface CannotListenMessage {
  netlab: "cannot-listen";
  line: string;
}

/**
 * Ends a daemon that could not listen: the `cannot listen` log line (its error without the stack
 * unless debugging), one line on stderr for the person who started it, exit 1. A cluster worker
 * hands the line to the primary instead, so that N workers failing alike say it once.
 */
async function cannotListen(name: string, error: unknown, config: DaemonConfig, log: Logger): Promise<never> {
  const failure = describeListenFailure(error, config);
  const debug = debugging(config);
  log.fatal({ err: debug ? error : failure.err }, "cannot listen");
  const line = `${name}: ${failure.message}`;
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  const send = cluster.isWorker ? process.send?.bind(process) : undefined;
  if (!send) {
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  return new Promise<never>(() => {
    const message: CannotListenMessage = { netlab: "cannot-listen", line };
    send(message, undefined, {}, () => process.exit(1));
    // Exit even if the primary never takes the message.
    setTimeout(() => process.exit(1), 1000);
  });
}
