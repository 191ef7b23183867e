// ngircd as the benches run it: the settings of /work/shared/PEERS.md, no penalties and no connection, per-IP or join limits.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Writes ngircd.conf for a server on 127.0.0.1:port into a fresh directory; the caller removes `dir`. */
export function writeNgircdConfig(port: number, info: string): { dir: string; conf: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${info}-ngircd-`));
  // ngircd drops privileges to nobody, who must read the config.
  chmodSync(dir, 0o755);
  const conf = path.join(dir, "ngircd.conf");
  const lines = [
    "[Global]", "Name = irc.netlab.test", `Info = ${info}`, "Listen = 127.0.0.1", `Ports = ${port}`, "MotdPhrase = hello", `PidFile = /tmp/ngircd-${port}.pid`,
    "[Limits]", "MaxConnections = 0", "MaxConnectionsIP = 0", "MaxJoins = 0", "MaxNickLength = 31", "MaxPenaltyTime = 0", "PingTimeout = 600", "PongTimeout = 600",
    "[Options]", "PAM = no", "DNS = no", "Ident = no",
  ];
  writeFileSync(conf, `${lines.join("\n")}\n`, { mode: 0o644 });
  return { dir, conf };
}
