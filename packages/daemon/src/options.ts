import { LOG_LEVELS, type LevelWithSilent } from "./logger.js";
import { parseDuration, parsePort } from "./duration.js";

export interface DaemonDefaults {
  port: number;
  host?: string;
  maxConnections?: number;
  maxPerAddress?: number;
  /** Default idle timeout; a duration such as "5m" (0 turns it off). */
  idleTimeout?: string;
  /** Default shutdown grace; a duration such as "10s". */
  shutdownGrace?: string;
}

const GROUP = "Daemon options:";

/** `NETLAB_<APP>_` prefix for yargs `.env()`: echo-server -> NETLAB_ECHO_SERVER (flag --max-connections -> NETLAB_ECHO_SERVER_MAX_CONNECTIONS). */
export function envPrefix(app: string): string {
  return `NETLAB_${app.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

/**
 * The options every daemon takes, for yargs `.options(daemonOptions({ port: 9900 }))`.
 * Durations accept `500ms`, `10s`, `2m` or plain milliseconds and arrive as milliseconds.
 */
export function daemonOptions(defaults: DaemonDefaults) {
  return {
    host: { type: "string", default: defaults.host ?? "127.0.0.1", describe: "address to bind (:: or 0.0.0.0 opens it up)", group: GROUP },
    port: { type: "string", default: String(defaults.port), coerce: parsePort, describe: "port to listen on (0 picks a free one)", group: GROUP },
    "log-level": { type: "string", choices: LOG_LEVELS, default: "info", describe: "least severe log level written", group: GROUP },
    "metrics-port": { type: "string", coerce: parsePort, describe: "serve Prometheus /metrics and /healthz on this port", group: GROUP },
    "metrics-host": { type: "string", default: "127.0.0.1", describe: "address for the metrics server", group: GROUP },
    "shutdown-grace": {
      type: "string",
      default: defaults.shutdownGrace ?? "10s",
      coerce: parseDuration,
      describe: "on SIGTERM/SIGINT, time open connections get to finish",
      group: GROUP,
    },
    "max-connections": { type: "number", default: defaults.maxConnections ?? 10_000, describe: "open connections at once (0: no limit)", group: GROUP },
    "max-per-address": {
      type: "number",
      default: defaults.maxPerAddress ?? 256,
      describe: "open connections at once from one client address (0: no limit)",
      group: GROUP,
    },
    "idle-timeout": {
      type: "string",
      default: defaults.idleTimeout ?? "5m",
      coerce: parseDuration,
      describe: "close a connection silent for this long (0: never)",
      group: GROUP,
    },
    workers: { type: "number", default: 1, describe: "worker processes (node:cluster); a dead worker is restarted", group: GROUP },
  } as const;
}

/** What daemonOptions parses to, as yargs hands it over. */
export interface DaemonArgs {
  host: string;
  port: number | string;
  logLevel: string;
  metricsPort: number | string | undefined;
  metricsHost: string;
  shutdownGrace: number | string;
  maxConnections: number;
  maxPerAddress: number;
  idleTimeout: number | string;
  workers: number;
}

export interface DaemonConfig {
  host: string;
  port: number;
  logLevel: LevelWithSilent;
  metricsPort: number | undefined;
  metricsHost: string;
  shutdownGraceMs: number;
  maxConnections: number;
  maxPerAddress: number;
  idleTimeoutMs: number;
  workers: number;
}

/** Typed configuration from parsed daemonOptions. */
export function daemonConfig(args: DaemonArgs): DaemonConfig {
  return {
    host: args.host,
    port: parsePort(args.port),
    logLevel: args.logLevel as LevelWithSilent,
    metricsPort: args.metricsPort === undefined ? undefined : parsePort(args.metricsPort),
    metricsHost: args.metricsHost,
    shutdownGraceMs: parseDuration(args.shutdownGrace),
    maxConnections: args.maxConnections,
    maxPerAddress: args.maxPerAddress,
    idleTimeoutMs: parseDuration(args.idleTimeout),
    workers: Math.max(1, Math.floor(args.workers)),
  };
}
