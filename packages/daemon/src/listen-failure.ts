import type { DaemonConfig } from "./options.js";

/** Why a listener could not open, in words, by error code. */
const REASONS: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
  EADDRNOTAVAIL: "no such address on this machine",
  EAFNOSUPPORT: "address family not supported (IPv6 turned off?)",
};

export interface ListenFailure {
  /** For people: `cannot listen on 127.0.0.1:9900: address already in use`. */
  message: string;
  /** For the `cannot listen` log line: the error's type, message, code, address and port, without its stack. */
  err: { type: string; message: string; code?: string; address?: string; port?: number };
}

/** Whether the stack of a failure is wanted: `--log-level debug` (or trace), or NETLAB_DEBUG=1. */
export function debugging(config: Pick<DaemonConfig, "logLevel">): boolean {
  return config.logLevel === "debug" || config.logLevel === "trace" || process.env.NETLAB_DEBUG === "1";
}

/** What a failed listen() (`EADDRINUSE`, `EACCES`, an unknown host name...) is, in one line. */
export function describeListenFailure(error: unknown, config: Pick<DaemonConfig, "host" | "port">): ListenFailure {
  const e = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const code = typeof e.code === "string" ? e.code : undefined;
  const host = e.address ?? e.hostname ?? config.host;
  const port = typeof e.port === "number" ? e.port : config.port;
  const where = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  const text = error instanceof Error ? error.message : String(error);
  let reason = code ? REASONS[code] : undefined;
  if (!reason && (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")) reason = `cannot resolve ${e.hostname ?? host}`;
  reason ??= text.split("\n")[0]?.trim() || "failed";
  const err = {
    type: error instanceof Error ? error.name : typeof error,
    message: text,
    ...(code ? { code } : {}),
    ...(e.address !== undefined ? { address: e.address } : {}),
    ...(typeof e.port === "number" ? { port: e.port } : {}),
  };
  return { message: `cannot listen on ${where}: ${reason}`, err };
}
