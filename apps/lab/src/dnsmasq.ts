import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@netlab/test-kit";

export interface LabDns {
  /** `127.0.0.1:PORT`, for `--server`. */
  server: string;
  stop(): Promise<void>;
}

/** Names the lab's DNS server knows; anything else under netlab.test is NXDOMAIN. */
export const LAB_HOST = "alpha.netlab.test";
export const LAB_MISSING_HOST = "missing.netlab.test";

/**
 * Starts dnsmasq on loopback with the lab's zone, or resolves to undefined when dnsmasq is
 * not installed.
 */
export async function startLabDns(timeoutMs = 5_000): Promise<LabDns | undefined> {
  const port = await freePort("127.0.0.1", "udp");
  const dir = mkdtempSync(join(tmpdir(), "netlab-demo-dns-"));
  const child = spawn(
    "dnsmasq",
    [
      "--no-daemon", `--port=${port}`, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
      `--pid-file=${join(dir, "pid")}`, "--log-facility=-", `--host-record=${LAB_HOST},10.9.8.7,fd00::7`,
      "--local=/netlab.test/",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const started = await new Promise<boolean>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dnsmasq did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT") resolve(false);
      else reject(error);
    });
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/started/.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`dnsmasq exited: ${output.trim()}`));
    });
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    cleanup();
    throw error;
  });
  if (!started) {
    cleanup();
    return undefined;
  }
  return {
    server: `127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      cleanup();
    },
  };
}
