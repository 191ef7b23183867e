// ngircd for comparison, with the settings of /work/shared/PEERS.md and no connection limits.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { onCore, type Server, track, untrack } from "./server.js";

export function ngircdProgram(): string | undefined {
  return findProgram("ngircd", "ngircd").path;
}

export async function startNgircd(core?: number): Promise<Server> {
  const program = ngircdProgram();
  if (!program) throw new Error('ngircd not found: install it with "apt-get install -y ngircd"');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "scale-ngircd-"));
  // It drops privileges to nobody, who must read the config.
  chmodSync(dir, 0o755);
  const conf = path.join(dir, "ngircd.conf");
  const lines = [
    "[Global]", "Name = irc.netlab.test", "Info = scale", "Listen = 127.0.0.1", `Ports = ${port}`, "MotdPhrase = hello", `PidFile = /tmp/ngircd-${port}.pid`,
    "[Limits]", "MaxConnections = 0", "MaxConnectionsIP = 0", "MaxJoins = 0", "MaxNickLength = 31", "MaxPenaltyTime = 0", "PingTimeout = 600", "PongTimeout = 600",
    "[Options]", "PAM = no", "DNS = no", "Ident = no",
  ];
  writeFileSync(conf, `${lines.join("\n")}\n`, { mode: 0o644 });
  const { command, args } = onCore(core, program, ["-n", "-f", conf]);
  const handle = await startProcess(command, args, { ready: port, timeoutMs: 20_000 });
  const pid = handle.pid as number;
  track(pid);
  return {
    // Its listen backlog is 10.
    name: "ngircd", host: "127.0.0.1", port, pid, maxPending: 8, handle,
    stop: async () => {
      await handle.stop();
      untrack(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
