import { spawn } from "node:child_process";

export interface ClientRun {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/**
 * Runs a short-lived client program with input on stdin; kills it after timeoutMs. With
 * holdStdinMs, stdin stays open that long after the input (for clients that quit at its end).
 */
export function runClient(command: string, args: string[], input: Buffer | string, timeoutMs = 10_000, holdStdinMs = 0): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr, code });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.write(input);
    setTimeout(() => child.stdin.end(), holdStdinMs);
  });
}
