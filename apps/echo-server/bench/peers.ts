// The servers the benchmark measures, each as the command line that starts it on a port.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProgram } from "@netlab/test-kit";
import type { ServerCommand } from "./processes.js";

// Compiled benches live in dist-bench/, at the same depth as bench/: the package root is one up from either.
const packageDir = fileURLToPath(new URL("../", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const node = process.execPath;

export const ECHO_SERVER = join(packageDir, "bin", "echo-server.js");
const BARE = join(here, "bare-echo-server.js");

export const socat = findProgram("socat", "socat");
export const ncat = findProgram("ncat", "ncat");
export const iperf3 = findProgram("iperf3", "iperf3");
const cc = findProgram("cc", "gcc");

/** The ceiling server, compiled into buildDir for this run; undefined when there is no compiler or it fails. */
export function buildCeiling(buildDir: string): string | undefined {
  if (cc.skip) return undefined;
  const binary = join(buildDir, "epoll-echo");
  try {
    execFileSync("cc", ["-O2", "-o", binary, join(packageDir, "bench", "epoll-echo.c")], { stdio: ["ignore", "ignore", "pipe"] });
    return binary;
  } catch (error) {
    const { stderr, message } = error as { stderr?: Buffer; message: string };
    console.warn(`SKIPPED: the C epoll ceiling did not compile: ${String(stderr ?? message).trim()}`);
    return undefined;
  }
}

export function newBuildDir(): string {
  return mkdtempSync(join(tmpdir(), "echo-bench-"));
}

// echo-server runs with the allocator settings its systemd unit gives it (README, "Bulk streams and
// glibc's allocator"), read from the unit so that the bench measures what the unit runs; the bare
// server runs as people run it.
const UNIT = readFileSync(join(packageDir, "systemd", "echo-server.service"), "utf8");
const TUNABLES = /^Environment=GLIBC_TUNABLES=(\S+)$/m.exec(UNIT)?.[1];
if (!TUNABLES) throw new Error("systemd/echo-server.service sets no GLIBC_TUNABLES");
export const tuned: Record<string, string> = { GLIBC_TUNABLES: TUNABLES };

export const echoServer: ServerCommand = (port) => [node, [ECHO_SERVER, "--port", String(port), "--no-udp", "--log-level", "warn"]];
export const bare: ServerCommand = (port) => [node, [BARE, String(port)]];

/** Every server of the ping-pong rounds, by name; the missing peers left out. */
export function servers(ceiling: string | undefined): Record<string, ServerCommand> {
  const all: Record<string, ServerCommand> = { "echo-server": echoServer, bare };
  if (!socat.skip) all.socat = (port) => ["socat", [`TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr,backlog=128`, "PIPE"]];
  // One cat process per connection; ping-pong only (its children stall under bulk load, PEERS.md).
  if (!ncat.skip) all.ncat = (port) => ["ncat", ["-l", "127.0.0.1", String(port), "--keep-open", "--max-conns", "1000", "--exec", "/bin/cat"]];
  if (ceiling) all["C epoll"] = (port) => [ceiling, [String(port)]];
  return all;
}
