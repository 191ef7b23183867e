import { once, parseCount, parseDuration, parseHost, parsePort } from "@netlab/cli";
import { LOG_LEVELS, type LevelWithSilent } from "./logger.js";

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

/** A whole number of 0 or more (0: no limit). */
const limit = (value: string): number => parseCount(value, { min: 0 });
/** A whole number of 1 or more. */
const atLeastOne = (value: string): number => parseCount(value, { min: 1 });

/**
 * The options every daemon takes, for yargs `.options(daemonOptions({ port: 9900 }))`. Each value
 * flag is checked by a @netlab/cli value type and may be given once: a bad value (`--port 70000`,
 * `--host 999.1.1.1`, `--max-connections -5`, `--workers abc`) or a repeated flag is a usage
 * error naming the flag. Ports, counts and durations (`500ms`, `10s`, `2m` or plain
 * milliseconds) arrive as numbers, durations in milliseconds.
 */
export function daemonOptions(defaults: DaemonDefaults) {
  return {
    host: {
      type: "string",
      default: defaults.host ?? "127.0.0.1",
      coerce: once("host", parseHost),
      describe: "address to bind (:: or 0.0.0.0 opens it up)",
      group: GROUP,
    },
    port: { type: "string", default: defaults.port, coerce: once("port", parsePort), describe: "port to listen on (0 picks a free one)", group: GROUP },
    "log-level": { type: "string", choices: LOG_LEVELS, default: "info", describe: "least severe log level written", group: GROUP },
    "metrics-port": { type: "string", coerce: once("metrics-port", parsePort), describe: "serve Prometheus /metrics and /healthz on this port", group: GROUP },
    "metrics-host": { type: "string", default: "127.0.0.1", coerce: once("metrics-host", parseHost), describe: "address for the metrics server", group: GROUP },
    "shutdown-grace": {
      type: "string",
      default: defaults.shutdownGrace ?? "10s",
      coerce: once("shutdown-grace", parseDuration),
      describe: "on SIGTERM/SIGINT, time open connections get to finish",
      group: GROUP,
    },
    "max-connections": {
      type: "string",
      default: defaults.maxConnections ?? 10_000,
      coerce: once("max-connections", limit),
      describe: "open connections at once (0: no limit)",
      group: GROUP,
    },
    "max-per-address": {
      type: "string",
      default: defaults.maxPerAddress ?? 256,
      coerce: once("max-per-address", limit),
      describe: "open connections at once from one client address (0: no limit)",
      group: GROUP,
    },
    "idle-timeout": {
      type: "string",
      default: defaults.idleTimeout ?? "5m",
      coerce: once("idle-timeout", parseDuration),
      describe: "close a connection silent for this long (0: never)",
      group: GROUP,
    },
    workers: { type: "string", default: 1, coerce: once("workers", atLeastOne), describe: "worker processes (node:cluster); a dead worker is restarted", group: GROUP },
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
  maxConnections: number | string;
  maxPerAddress: number | string;
  idleTimeout: number | string;
  workers: number | string;
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

/**
 * Typed configuration from parsed daemonOptions. Values that did not go through the parser
 * (strings) are checked the same way; a bad one throws a UsageError.
 */
export function daemonConfig(args: DaemonArgs): DaemonConfig {
  return {
    host: parseHost(args.host),
    port: parsePort(args.port),
    logLevel: args.logLevel as LevelWithSilent,
    metricsPort: args.metricsPort === undefined ? undefined : parsePort(args.metricsPort),
    metricsHost: parseHost(args.metricsHost),
    shutdownGraceMs: parseDuration(args.shutdownGrace),
    maxConnections: limit(String(args.maxConnections)),
    maxPerAddress: limit(String(args.maxPerAddress)),
    idleTimeoutMs: parseDuration(args.idleTimeout),
    workers: atLeastOne(String(args.workers)),
  };
}
