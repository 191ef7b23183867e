// chat-server for the scale bench: limits that would cut the load lifted, no history or accounts to write.
import { fileURLToPath } from "node:url";
import { startProcess } from "@netlab/test-kit";
import { onCore, type Server, track, trackedServer } from "./server.js";

const bin = fileURLToPath(new URL("../../bin/chat-server.js", import.meta.url));

export interface ChatServerOptions {
  name?: string;
  core?: number;
  /** Extra flags, e.g. --redis URL --node-id ID. */
  extra?: string[];
  /** Processes of the node (--workers, which needs --redis in extra); 1 by default. */
  workers?: number;
}

/** The workers' pids, from their `listening` lines (they share the primary's output). */
function listeningPids(output: string): number[] {
  return [...output.matchAll(/"pid":(\d+)[^\n]*"msg":"listening"/g)].map((match) => Number(match[1]));
}

export async function startChatServer(options: ChatServerOptions = {}): Promise<Server> {
  const workers = options.workers ?? 1;
  const { command, args } = onCore(options.core, process.execPath, [
    bin, "--host", "127.0.0.1", "--port", "0", "--server-name", "irc.scale", "--flood-rate", "0", "--max-per-address", "0",
    "--max-connections", "0", "--idle-timeout", "0", "--registration-timeout", "120s", "--history", "none", "--accounts", "none",
    "--autoreplay-lines", "0", "--send-queue", "4m", "--log-level", "info", "--workers", String(workers), ...(options.extra ?? []),
  ]);
  const handle = await startProcess(command, args, { ready: /"msg":"listening"/, timeoutMs: 60_000 });
  const pid = handle.pid as number;
  // Killed with the bench if it stops while the workers start.
  track(pid);
  const deadline = Date.now() + 60_000;
  while (listeningPids(handle.output()).length < workers) {
    if (Date.now() > deadline) throw new Error(`chat-server --workers ${workers}: only ${listeningPids(handle.output()).length} listening after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(/"port":(\d+)/.exec(handle.output())?.[1]);
  // With workers, the primary only deals out connections: the node is all of its processes.
  const pids = workers > 1 ? [pid, ...listeningPids(handle.output())] : [pid];
  return trackedServer({ name: options.name ?? "chat-server", host: "127.0.0.1", port, pid, pids, maxPending: 1_000, handle });
}
