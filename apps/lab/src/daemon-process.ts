import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";
import { binPath } from "./daemon-bin.js";

export class DaemonStartError extends Error {
  readonly code = "DAEMON_START";
  constructor(readonly daemon: string, message: string) {
    super(message);
    this.name = "DaemonStartError";
  }
}

export interface DaemonProcess {
  child: ChildProcessWithoutNullStreams;
  /** Port of each protocol from the daemon's `listening` lines. */
  ports: Map<string, number>;
  /** Lines the daemon printed on stderr so far (the chat console writes there). */
  stderrLines: string[];
  /** SIGINT, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a netlab daemon's CLI and waits until it logged `listening` for each wanted protocol. */
export async function startDaemon(packageName: string, args: string[], protocols: string[], cwd?: string, timeoutMs = 15_000): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [binPath(packageName), ...args], { stdio: "pipe", cwd });
  const ports = new Map<string, number>();
  const stderrLines: string[] = [];
  readline.createInterface({ input: child.stderr }).on("line", (line) => stderrLines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no listening line within ${timeoutMs} ms`), timeoutMs);
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new DaemonStartError(packageName, `${packageName} did not start: ${why} ${stderrLines.join(" ")}`.trim()));
    };
    void exited.then((code) => fail(`exited with ${code}`));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const record = JSON.parse(line) as { msg?: string; protocol?: string; port?: number };
        if (record.msg === "listening" && record.protocol && record.port !== undefined) ports.set(record.protocol, record.port);
      } catch {
        return;
      }
      if (!settled && protocols.every((protocol) => ports.has(protocol))) {
        settled = true;
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    child,
    ports,
    stderrLines,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      return exited;
    },
  };
}
