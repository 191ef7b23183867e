import type { ChildProcessWithoutNullStreams } from "node:child_process";

export interface FoundProgram {
  /** Absolute path, or undefined when missing (outside CI only). */
  path: string | undefined;
  /** True when the program is missing: pass to `describe.skipIf`. */
  skip: boolean;
  /** What to install, when missing. */
  reason: string;
}

export declare function findProgram(command: string, debianPackage: string): FoundProgram;
/** A port free for both TCP and UDP on host, below the ephemeral range. */
export declare function freePort(host?: string): Promise<number>;
export declare function waitForPort(port: number, host?: string, timeoutMs?: number): Promise<void>;

export interface StartOptions {
  /** A pattern its stdout/stderr shows once it is up, or a TCP port it listens on. */
  ready?: RegExp | number;
  host?: string;
  timeoutMs?: number;
  graceMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

export interface ProcessHandle {
  child: ChildProcessWithoutNullStreams;
  pid: number | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export declare function startProcess(command: string, args: string[], options?: StartOptions): Promise<ProcessHandle>;

export interface SelfSignedCert {
  dir: string;
  keyPath: string;
  certPath: string;
  key: Buffer;
  cert: Buffer;
  remove(): void;
}

/** A self-signed EC certificate for localhost, 127.0.0.1 and ::1 (needs openssl). */
export declare function selfSignedCert(commonName?: string): SelfSignedCert;
export { dnsmasqProgram, startDnsmasq, type Dnsmasq, type DnsmasqOptions } from "./dnsmasq.js";
export { redisProgram, startRedis, type Redis, type RedisOptions } from "./redis.js";
