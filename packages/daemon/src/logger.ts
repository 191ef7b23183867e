import { pino, type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger, LevelWithSilent };

export const LOG_LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface LoggerOptions {
  name: string;
  level?: LevelWithSilent;
  /** Where JSON lines go; stdout by default. */
  destination?: DestinationStream;
}

/**
 * A structured JSON logger, one line per event, named for the daemon. `err` is written as pino
 * writes errors (type, message, stack...) when it is an Error; a plain object (an error already
 * described, without its stack) is written as it is.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    { name: options.name, level: options.level ?? "info", serializers: { err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value) } },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

export interface ListenerInfo {
  /** "tcp", "udp", "tls", "http"... */
  protocol: string;
  address: string;
  port: number;
}

/** The one `listening` line per listener that operators and scripts look for. */
export function logListening(log: Logger, listener: ListenerInfo): void {
  log.info({ protocol: listener.protocol, address: listener.address, port: listener.port }, "listening");
}
