import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/chat-client.js", import.meta.url));

/** Feeds stdin while watching output; `output()` is what the client printed so far. */
export type Feeder = (child: ChildProcessWithoutNullStreams, output: () => string) => Promise<void>;

/** Waits until check() is true, polling every 20 ms, for at most timeoutMs. */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs chat-client with args and stdin (text, or a feeder); resolves with its exit code and output. */
export function runCli(args: string[], stdin: string | Feeder = "", timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`chat-client ${args.join(" ")} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (typeof stdin === "string") child.stdin.end(stdin);
    else stdin(child, () => stdout).then(() => child.stdin.end(), reject);
  });
}
