import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { IPAddress, parseAddress } from "./address.js";
import { describeAddress, formatReport } from "./address-report.js";
import { IPParseError, IPValueError } from "./errors.js";
import { inetAton } from "./inet.js";
import { type IPPrefix, parsePrefix } from "./prefix.js";

// node:util parseArgs rather than yargs: the package has zero runtime dependencies.
const HELP = `Usage: ip-codec [options] ADDRESS...
       ip-codec contains PREFIX ADDRESS...

Convert IPv4/IPv6 addresses to packed hex, integers and their classification,
or test whether addresses are inside a prefix.

Options:
  --legacy    parse IPv4 with inet_aton rules (127.1, 0x7f.1, 017700000001)
  --json      print JSON instead of text
  -h, --help  show this help
  -v, --version  show the version

Exit status: 0 ok; 1 a bad address, or (contains) an address outside the prefix; 2 usage error.

Examples:
  ip-codec 127.0.0.1 192.168.0.1
  ip-codec --legacy 127.1 0x7f.1 017700000001
  ip-codec --json 2001:db8::1 ::ffff:10.0.0.1
  ip-codec contains 10.0.0.0/8 10.1.2.3
  ip-codec contains 2001:db8::/32 2001:db8::1 --json`;

class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function parseInput(text: string, legacy: boolean): IPAddress {
  if (legacy && !text.includes(":")) return IPAddress.fromBytes(inetAton(text));
  return parseAddress(text);
}

/** Runs the CLI on argv (without node and script); returns the exit code. */
export function main(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        legacy: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    err(`ip-codec: ${(error as Error).message.split(". ")[0] ?? ""} (see --help)`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (values.version) {
    out(version());
    return 0;
  }
  try {
    const io = { out, err, json: values.json };
    if (positionals[0] === "contains") return contains(positionals.slice(1), values.legacy, io);
    return convert(positionals, values.legacy, io);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`ip-codec: ${error.message} (see --help)`);
      return 2;
    }
    throw error;
  }
}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
  json: boolean;
}

/** What one input gave: its text line, its JSON entry, and whether it counts as success. */
interface Outcome {
  ok: boolean;
  text: string;
  data: object;
}

/** Runs `handle` on each input; a bad one gives a one-line error (and a JSON entry) and exit 1. */
function eachInput(inputs: string[], io: Output, handle: (input: string) => Outcome, failure: (input: string, error: string) => object): number {
  let status = 0;
  const results: object[] = [];
  for (const input of inputs) {
    try {
      const { ok, text, data } = handle(input);
      if (!ok) status = 1;
      if (io.json) results.push(data);
      else io.out(text);
    } catch (error) {
      if (!(error instanceof IPParseError || error instanceof IPValueError)) throw error;
      io.err(`ip-codec: ${error.message}`);
      if (io.json) results.push(failure(input, error.message));
      status = 1;
    }
  }
  if (io.json) io.out(JSON.stringify(results, null, 2));
  return status;
}

function convert(inputs: string[], legacy: boolean, io: Output): number {
  if (inputs.length === 0) throw new UsageError("give at least one address");
  return eachInput(
    inputs,
    io,
    (input) => {
      const report = describeAddress(input, parseInput(input, legacy));
      return { ok: true, text: formatReport(report), data: report };
    },
    (input, error) => ({ input, error }),
  );
}

function contains(args: string[], legacy: boolean, io: Output): number {
  const [prefixText, ...inputs] = args;
  if (prefixText === undefined || inputs.length === 0) throw new UsageError("contains takes a PREFIX and at least one ADDRESS");
  let prefix: IPPrefix;
  try {
    prefix = parsePrefix(prefixText);
  } catch (error) {
    if (!(error instanceof IPParseError)) throw error;
    io.err(`ip-codec: ${error.message}`);
    return 1;
  }
  const name = prefix.toString();
  return eachInput(
    inputs,
    io,
    (input) => {
      const inside = prefix.contains(parseInput(input, legacy));
      return { ok: inside, text: `${input} ${inside ? "is in" : "is not in"} ${name}`, data: { prefix: name, address: input, contains: inside } };
    },
    (input, error) => ({ prefix: name, address: input, error }),
  );
}
