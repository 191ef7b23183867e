import yargs, { type Argv } from "yargs";

export interface CliParserOptions {
  name: string;
  version: string;
  /** Usage line and description shown by --help. */
  usage: string;
  /** Where usage errors go; stderr by default. */
  stderr?: (line: string) => void;
  /** process.exit by default. */
  exit?: (code: number) => void;
}

/**
 * The yargs base of every netlab CLI: strict, --help/--version, and a usage error printed as
 * one line on stderr with exit code 2 (the DESIGN.md contract).
 */
export function cliParser(args: string[], options: CliParserOptions): Argv {
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const parser = yargs(args)
    .scriptName(options.name)
    .usage(options.usage)
    .version(options.version)
    .help()
    .alias("h", "help")
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // Errors thrown by handlers are operation failures; the caller reports those.
      if (error && !message) throw error;
      const text = (message ?? error?.message ?? "usage error").replace(/\s+/g, " ").trim();
      stderr(`${options.name}: ${text} (see --help)`);
      exit(2);
    });
  return parser;
}
