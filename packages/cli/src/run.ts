import { readFileSync } from "node:fs";
import { UsageError } from "./usage-error.js";

/** Whether the user asked for details (`--log-level debug` or NETLAB_DEBUG=1): then a failure's stack is shown too. */
function debugging(argv: readonly string[]): boolean {
  if (process.env.NETLAB_DEBUG === "1") return true;
  const at = argv.indexOf("--log-level");
  return argv.includes("--log-level=debug") || argv.includes("--log-level=trace") || (at >= 0 && ["debug", "trace"].includes(argv[at + 1] ?? ""));
}

/**
 * What a command prints for an error and the exit code it gives: a usage error is one line
 * and 2; any other failure one line (its message's first line) and 1, with the stack only
 * when debugging.
 */
export function reportError(name: string, error: unknown, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`), argv: readonly string[] = process.argv): number {
  if (error instanceof UsageError) {
    write(`${name}: ${error.message} (see --help)`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`${name}: ${message.split("\n")[0]?.trim() || "failed"}`);
  if (debugging(argv) && error instanceof Error && error.stack) write(error.stack);
  return 1;
}

/**
 * Ends a command quietly when the reader of its stdout goes away (`cmd | head -1`): exit with
 * the code so far instead of an EPIPE stack trace. Any other stdout error is one line and 1.
 */
export function exitQuietlyWhenStdoutCloses(name: string, stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`${name}: cannot write to stdout: ${error.message}\n`);
    process.exit(1);
  });
}

/**
 * Runs a command's main: its result is the exit code (0 by default); an error is reported
 * as reportError says, never as an uncaught stack trace.
 */
export async function runCli(name: string, main: () => Promise<number | undefined> | number | undefined): Promise<void> {
  exitQuietlyWhenStdoutCloses(name);
  try {
    process.exitCode = (await main()) ?? process.exitCode ?? 0;
  } catch (error) {
    process.exitCode = reportError(name, error);
  }
}

/** The version in the package.json next to the directory of moduleUrl's file (dist/ or src/). */
export function packageVersion(moduleUrl: string): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", moduleUrl), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}
