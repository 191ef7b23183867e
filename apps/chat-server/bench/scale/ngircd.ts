// ngircd for comparison, with the settings of /work/shared/PEERS.md and no connection limits.
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { writeNgircdConfig } from "../ngircd-config.js";
import { onCore, type Server, trackedServer } from "./server.js";

export function ngircdProgram(): string | undefined {
  return findProgram("ngircd", "ngircd").path;
}

export async function startNgircd(core?: number): Promise<Server> {
  const program = ngircdProgram();
  if (!program) throw new Error('ngircd not found: install it with "apt-get install -y ngircd"');
  const port = await freePort();
  const { dir, conf } = writeNgircdConfig(port, "scale");
  const { command, args } = onCore(core, program, ["-n", "-f", conf]);
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 20_000 });
  // Its listen backlog is 10.
  return trackedServer({ name: "ngircd", host: "127.0.0.1", port, pid: handle.pid as number, maxPending: 8, handle }, dir);
}
