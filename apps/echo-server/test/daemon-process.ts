import { fileURLToPath } from "node:url";
import { startProcess, type ProcessHandle } from "@netlab/test-kit";

export const BIN = fileURLToPath(new URL("../bin/echo-server.js", import.meta.url));

export interface LogLine {
  msg: string;
  pid: number;
  protocol?: string;
  port?: number;
  [key: string]: unknown;
}

/** The JSON log lines the process wrote so far. */
export function logLines(handle: ProcessHandle): LogLine[] {
  return handle
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Starts bin/echo-server.js and waits for its `listening` line for protocol. */
export async function startDaemon(args: string[], env: Record<string, string> = {}, readyProtocol = "udp"): Promise<{ handle: ProcessHandle; port: (protocol: string) => number }> {
  const handle = await startProcess(process.execPath, [BIN, ...args], {
    ready: new RegExp(`"protocol":"${readyProtocol}".*"msg":"listening"`),
    env,
    timeoutMs: 15_000,
    graceMs: 5_000,
  });
  const port = (protocol: string): number => {
    const line = logLines(handle).find((l) => l.msg === "listening" && l.protocol === protocol);
    if (!line?.port) throw new Error(`no listening line for ${protocol} in:\n${handle.output()}`);
    return line.port;
  };
  return { handle, port };
}
