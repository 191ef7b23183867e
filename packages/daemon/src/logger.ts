import { pino, type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export interface LoggerOptions {
  name: string;
  level?: LevelWithSilent;
  /** Where JSON lines go; stdout by default. */
  destination?: DestinationStream;
}

/** A structured JSON logger, one line per event, named for the daemon. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({ name: options.name, level: options.level ?? "info" }, options.destination ?? pino.destination(1));
}
