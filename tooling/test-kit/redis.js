// Starts a real redis-server on a free loopback port, retrying when another process takes the
// port first; restart() brings it back on the same port (for outage tests).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findProgram, freePort, startProcess } from "./index.js";

export const redisProgram = () => findProgram("redis-server", "redis-server");

/**
 * @param {{ args?: string[], persist?: boolean }} options
 */
export async function startRedis(options = {}) {
  const program = redisProgram();
  if (program.path === undefined) throw new Error(program.reason);
  const dir = mkdtempSync(join(tmpdir(), "netlab-redis-"));
  const argsFor = (port) => [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", options.persist ? "yes" : "no",
    "--dir", dir,
    "--daemonize", "no",
    ...(options.args ?? []),
  ];
  const ready = /Ready to accept connections/;
  let lastError;
  // The port was free a moment ago; another process may take it, so try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort("127.0.0.1");
    try {
      let handle = await startProcess(program.path, argsFor(port), { ready });
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        get pid() {
          return handle.pid;
        },
        output: () => handle.output(),
        /** Stops the server (SIGKILL simulates a crash); the data dir is kept for restart(). */
        async kill(signal = "SIGTERM") {
          await handle.stop(signal);
        },
        /** Starts it again on the same port. */
        async restart() {
          await handle.stop();
          handle = await startProcess(program.path, argsFor(port), { ready });
        },
        async stop() {
          await handle.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
