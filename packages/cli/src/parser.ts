import yargs, { type Argv } from "yargs";
import { UsageError } from "./usage-error.js";

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

/** What yargs knows of the options declared (not in its type definitions). */
interface YargsOptions {
  array: string[];
  alias: Record<string, string[]>;
  key: Record<string, boolean>;
}

/** How many times args (before `--`) give one of the flag names. */
function timesGiven(args: readonly string[], names: readonly string[]): number {
  let times = 0;
  for (const arg of args) {
    if (arg === "--") break;
    const name = arg.replace(/^--?/, "").split("=")[0] ?? "";
    if (arg.startsWith("-") && names.includes(name)) times++;
  }
  return times;
}

/** The first flag in args (before `--`) that parser does not declare, as written; for parsers not made by cliParser. */
export function firstUnknownFlag(args: readonly string[], parser: Argv): string | undefined {
  return unknownFlag(args, (parser as unknown as { getOptions(): YargsOptions }).getOptions());
}

/** The first flag in args (before `--`) that is none of the declared options, as written. */
function unknownFlag(args: readonly string[], options: YargsOptions): string | undefined {
  const known = new Set([...Object.keys(options.key), ...Object.values(options.alias).flat(), "help", "h", "version"]);
  for (const arg of args) {
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) continue;
    const name = arg.replace(/^--?/, "").split("=")[0] ?? "";
    const bare = name.startsWith("no-") ? name.slice(3) : name;
    const camel = (text: string): string => text.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (!known.has(name) && !known.has(bare) && !known.has(camel(bare))) return arg.split("=")[0];
  }
  return undefined;
}

/** Flags of yargs itself, never checked for repeats. */
const builtIn = new Set(["_", "$0", "help", "h", "version"]);

/**
 * The yargs base of every netlab command: strict (unknown flags and extra arguments are
 * refused, before or after the positionals), --help and --version, a flag that takes one
 * value given twice refused, and every usage error one line on stderr with exit code 2.
 */
export function cliParser(args: string[], options: CliParserOptions): Argv {
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let failed = false;
  const parser: Argv = yargs(args)
    .scriptName(options.name)
    .usage(options.usage)
    .version(options.version)
    .help()
    .alias("h", "help")
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .check((argv) => {
      const { array, alias } = (parser as unknown as { getOptions(): YargsOptions }).getOptions();
      for (const [key, value] of Object.entries(argv)) {
        // camelCase keys repeat the kebab-case ones; positionals and repeatable flags may hold several values.
        if (!Array.isArray(value) || builtIn.has(key) || /[A-Z]/.test(key) || array.includes(key)) continue;
        const names = [key, ...(alias[key] ?? [])];
        if (names.some((name) => array.includes(name)) || timesGiven(args, names) < 2) continue;
        throw new UsageError(`${key.length === 1 ? "-" : "--"}${key} given ${value.length} times: give it once`);
      }
      return true;
    })
    .fail((message, error) => {
      // Only the first problem is told: yargs may find more after the one that ends the command.
      if (failed) return;
      failed = true;
      // Errors thrown by handlers are operation failures; the caller reports those.
      if (error && !message && !(error instanceof UsageError)) throw error;
      // An unknown flag is the problem to name, wherever it stands: `--bogus 80` took 80 as its value, so yargs would say a positional is missing.
      const unknown = unknownFlag(args, (parser as unknown as { getOptions(): YargsOptions }).getOptions());
      const text = unknown ? `Unknown argument: ${unknown}` : (message ?? error?.message ?? "usage error").replace(/\s+/g, " ").trim();
      stderr(`${options.name}: ${text} (see --help)`);
      exit(2);
    });
  return parser;
}
