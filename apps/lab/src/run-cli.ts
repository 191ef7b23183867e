import { execFile } from "node:child_process";
import { binPath } from "./daemon-bin.js";

export interface CliRun {
  /** The command as a person would type it. */
  shown: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a netlab package's CLI to completion (bounded by timeoutMs) and keeps what it printed. */
export function runCli(packageName: string, name: string, args: string[], timeoutMs = 15_000): Promise<CliRun> {
  const shown = [name, ...args.map((arg) => (/^[\w./:@=-]+$/.test(arg) ? arg : `'${arg}'`))].join(" ");
  return new Promise((resolve) => {
    execFile(process.execPath, [binPath(packageName), ...args], { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ shown, code, stdout, stderr });
    });
  });
}
