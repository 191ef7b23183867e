import { createRequire } from "node:module";
import { firstUnknownFlag } from "@netlab/cli";
import yargs from "yargs";
import type { CliIo } from "./cli-io.js";
import { resolveCommand } from "./resolve-command.js";
import { reverseCommand } from "./reverse-command.js";
import { showCommand } from "./show-command.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

/** A command line yargs rejected; thrown from .fail() so that no handler runs. */
class UsageError extends Error {
  override name = "UsageError";
  readonly code = "USAGE";
}

/** Parses args and runs one command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let parser = yargs([...args])
    .scriptName("net-info")
    .usage("$0 [command] [options]\n\nThis machine's host name, addresses and interfaces; DNS lookups with timeouts.")
    .option("json", { type: "boolean", default: false, describe: "Print machine-readable JSON" })
    .version(version)
    .help()
    .alias("h", "help")
    .alias("v", "version")
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .example("$0", "Host name, primary address and interface table")
    .example("$0 resolve www.example.org localhost --family 6", "IPv6 addresses of two hosts via the system resolver")
    .example("$0 resolve alpha.lab.test --server 127.0.0.1:5353 --timeout 1000", "Ask a DNS server directly, 1 s deadline")
    .example("$0 reverse 127.0.0.1 ::1 --json", "Host names of addresses, as JSON")
    .fail((message, error) => {
      // A handler's own exception is a bug or an operation failure, not a usage error.
      if (error && !message && error.name !== "UsageError") throw error;
      // An unknown flag is named wherever it stands (before the command, or before a host it took as its value).
      const unknown = firstUnknownFlag(args, parser);
      throw new UsageError(unknown ? `Unknown argument: ${unknown}` : (message ?? error?.message ?? "usage error").replace(/\s+/g, " ").trim());
    });
  parser = showCommand(parser, io);
  parser = resolveCommand(parser, io);
  parser = reverseCommand(parser, io);
  try {
    // The callback takes --help and --version text, which yargs would otherwise print itself.
    await parser.parseAsync([...args], {}, (_error, _argv, output) => {
      if (output) io.stdout(`${output}\n`);
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`net-info: ${error.message} (see net-info --help)\n`);
      return 2;
    }
    io.stderr(`net-info: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return io.exitCode;
}
