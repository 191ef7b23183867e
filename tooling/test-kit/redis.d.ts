import type { FoundProgram } from "./index.js";

export interface RedisOptions {
  /** Extra redis-server arguments. */
  args?: string[];
  /** Append-only file on, so data survives kill() + restart(). */
  persist?: boolean;
}

export interface Redis {
  port: number;
  /** "redis://127.0.0.1:PORT". */
  url: string;
  readonly pid: number | undefined;
  output(): string;
  /** Stops the server (SIGTERM, or SIGKILL to simulate a crash), keeping its data dir. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it if running and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export declare function redisProgram(): FoundProgram;
export declare function startRedis(options?: RedisOptions): Promise<Redis>;
