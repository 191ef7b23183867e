import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RESULTS_DIR_VARIABLE } from "@netlab/bench-kit";
import type { RunStatus } from "./saved-run.js";
import type { WorkspacePackage } from "./workspace.js";

/** How to run pnpm: the one running us when there is one, else the pinned one through npx. */
function pnpmCommand(root: string): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return { command: process.execPath, args: [execPath] };
  const { packageManager = "pnpm" } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { packageManager?: string };
  return { command: "npx", args: ["-y", packageManager] };
}

/**
 * Runs one package's `bench` script with its results going to resultsDir, echoing its output,
 * bounded by timeoutMs; resolves with how it ended and what it printed.
 */
export function runPackageBench(root: string, pkg: WorkspacePackage, resultsDir: string, timeoutMs: number, echo: (chunk: string) => void): Promise<RunStatus & { log: string }> {
  const pnpm = pnpmCommand(root);
  const started = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, [RESULTS_DIR_VARIABLE]: resultsDir };
    const child = spawn(pnpm.command, [...pnpm.args, "run", "bench"], { cwd: pkg.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const take = (chunk: Buffer): void => {
      log += chunk.toString();
      echo(chunk.toString());
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => {
      log += `\nbench: stopped after ${timeoutMs / 1000} s\n`;
      child.kill("SIGTERM");
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, seconds: Math.round((Date.now() - started) / 1000), log });
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 1, seconds: 0, log: `cannot run pnpm: ${error.message}` });
    });
  });
}
