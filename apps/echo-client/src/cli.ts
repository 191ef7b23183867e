import { fstatSync, readFileSync } from "node:fs";
import { cliParser, once, packageVersion, parseByteSize, parseCount, parseDuration, parseHost, parsePort, parsePositiveDuration, runCli, UsageError } from "@netlab/cli";
import type { Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { type BenchMode } from "./bench.js";
import { runBenchThreads } from "./bench-threads.js";
import { DATAGRAM_HEADER, MAX_DATAGRAM } from "./bench-udp.js";
import { EchoClientError } from "./errors.js";
import { pipeThrough } from "./pipe.js";
import { probe } from "./probe.js";
import { noProgress, progressBar } from "./progress.js";
import { benchLines, pingLine, pingSummary, stepLine } from "./report.js";
import { formatTarget, type EchoTarget } from "./target.js";

const name = "echo-client";
const DEFAULT_MESSAGE = "Test message: SDN course examples";
/** The exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

/** A port to connect to: 1-65535. */
const remotePort = (value: string): number => parsePort(value, { allowZero: false });
const atLeastOne = (value: string): number => parseCount(value, { min: 1 });
const noneOrMore = (value: string): number => parseCount(value, { min: 0 });
/** Bytes per message: 1 or more, `64k` and the like allowed. */
function messageSize(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes > 0) return bytes;
  throw new UsageError(`invalid size ${JSON.stringify(value)}: use 1 byte or more`);
}

function targetOptions<T>(y: Argv<T>) {
  return y
    .options({
      host: { type: "string", default: "localhost", coerce: once("host", parseHost), describe: "echo server host name or address (IPv4 or IPv6)", group: "Target:" },
      port: { type: "string", default: 9900, coerce: once("port", remotePort), describe: "echo server port (1-65535)", group: "Target:" },
      timeout: { type: "string", default: "5s", coerce: once("timeout", parsePositiveDuration), describe: "connect and read deadline (500ms, 5s...)", group: "Target:" },
      udp: { type: "boolean", default: false, describe: "use UDP", group: "Target:" },
      tls: { type: "boolean", default: false, describe: "use TLS (echo-server --tls-cert, port 9901)", group: "Target:" },
      ca: { type: "string", describe: "PEM CA certificate to trust for --tls", group: "Target:" },
      insecure: { type: "boolean", default: false, describe: "with --tls: do not check the certificate", group: "Target:" },
      servername: { type: "string", describe: "with --tls: name to check the certificate against", group: "Target:" },
      json: { type: "boolean", default: false, describe: "print one JSON object instead of text" },
    })
    .check((argv) => {
      if (argv.udp && argv.tls) throw new UsageError("--udp and --tls cannot be used together");
      return true;
    });
}

interface TargetArgs {
  host: string;
  port: number;
  timeout: number;
  udp: boolean;
  tls: boolean;
  ca: string | undefined;
  insecure: boolean;
  servername: string | undefined;
}

function targetFrom(argv: TargetArgs): EchoTarget {
  let ca: Buffer | undefined;
  if (argv.ca !== undefined) {
    try {
      ca = readFileSync(argv.ca);
    } catch (error) {
      throw new EchoClientError("TLS", argv.ca, `cannot read CA file ${argv.ca}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return {
    host: argv.host,
    port: argv.port,
    transport: argv.udp ? "udp" : argv.tls ? "tls" : "tcp",
    timeoutMs: argv.timeout,
    tls: { ...(ca ? { ca } : {}), insecure: argv.insecure, ...(argv.servername ? { servername: argv.servername } : {}) },
  };
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function runPipe(target: EchoTarget, json: boolean): Promise<number> {
  let total = 0;
  try {
    const stat = fstatSync(0);
    if (stat.isFile()) total = stat.size;
  } catch {
    // stdin without a size (a pipe or terminal): show bytes only.
  }
  const bar = progressBar(total > 0 ? "echo {bar} {percentage}% | {value}/{total} bytes echoed" : "echo {value} bytes echoed", total || 1);
  try {
    const result = await pipeThrough(target, process.stdin, process.stdout, (p) => bar.update(total > 0 ? Math.min(p.received, total) : p.received));
    bar.stop();
    if (json) process.stderr.write(`${JSON.stringify({ target: formatTarget(target.host, target.port), ...result })}\n`);
    return 0;
  } finally {
    bar.stop();
  }
}

interface ProbeArgs extends TargetArgs {
  message: string;
  stdin: boolean;
  count: number | undefined;
  interval: number;
  json: boolean;
}

async function runProbe(argv: ProbeArgs): Promise<number> {
  const target = targetFrom(argv);
  if (argv.stdin || argv.message === "-") return runPipe(target, argv.json);
  const message = Buffer.from(argv.message);
  const ping = argv.count !== undefined;
  const where = formatTarget(target.host, target.port);
  if (!argv.json && !ping) print(`Connecting to ${where} over ${target.transport.toUpperCase()}...`);
  // Ctrl-C in a ping-style run ends it with its summary, as ping does; a second one exits at once.
  const stop = new AbortController();
  const onInterrupt = (): void => {
    if (stop.signal.aborted) process.exit(INTERRUPTED);
    stop.abort();
  };
  if (ping) process.on("SIGINT", onInterrupt);
  let result;
  try {
    result = await probe({
      target,
      message,
      count: argv.count ?? 1,
      intervalMs: argv.interval,
      signal: stop.signal,
      onStep: (step) => {
        if (argv.json) return;
        if (ping) {
          const line = pingLine(step, where);
          if (line) print(line);
        } else {
          print(stepLine(step, message));
        }
      },
    });
  } finally {
    process.off("SIGINT", onInterrupt);
  }
  const ok = result.received === result.sent && result.mismatched === 0;
  if (argv.json) {
    print(JSON.stringify({ ...result, echo: result.echo?.toString("utf8"), ok }));
  } else if (ping) {
    for (const line of pingSummary(result)) print(line);
  } else {
    print(ok ? "Echo matches what was sent" : "Echo DIFFERS from what was sent");
  }
  if (result.interrupted) return INTERRUPTED;
  return ok ? 0 : 1;
}

interface BenchArgs extends TargetArgs {
  connections: number;
  duration: number;
  size: number;
  rate: number;
  mode: string;
  threads: number;
  verify: boolean;
  json: boolean;
}

async function runBenchCommand(argv: BenchArgs): Promise<number> {
  const target = targetFrom(argv);
  const durationMs = argv.duration;
  const bar = argv.json
    ? noProgress
    : progressBar("bench {bar} {value}/{total} s | {rate} msg/s | {mb} MB/s | p99 {p99} ms | errors {errors}", Math.ceil(durationMs / 1000), {
        rate: "0",
        mb: "0.0",
        p99: "-",
        errors: "0",
      });
  let result;
  try {
    result = await runBenchThreads({
      target,
      threads: argv.threads,
      connections: argv.connections,
      durationMs,
      size: argv.size,
      rate: argv.rate,
      mode: argv.mode as BenchMode,
      verify: argv.verify,
      onTick: (s) =>
        bar.update(Math.floor(s.elapsedMs / 1000), {
          rate: Math.round(s.messages / (s.elapsedMs / 1000)).toLocaleString("en-US"),
          mb: (s.bytes / 1e6 / (s.elapsedMs / 1000)).toFixed(1),
          p99: s.p99Ms.toFixed(2),
          errors: String(s.errors),
        }),
    });
  } catch (error) {
    bar.clear();
    throw error;
  }
  // Not one connection opened: the server could not be reached, there is nothing to report.
  if (result.connected === 0) {
    bar.clear();
    if (argv.json) print(JSON.stringify(result));
    const why = result.errors.firstError ?? `nothing answered at ${formatTarget(target.host, target.port)}`;
    throw new EchoClientError("NETWORK", formatTarget(target.host, target.port), `no connection could be opened (0 of ${result.connections}): ${why}`);
  }
  // The last frame is the whole run, not the last tick before the end.
  bar.done({
    rate: Math.round(result.messagesPerSecond).toLocaleString("en-US"),
    mb: result.megabytesPerSecond.toFixed(1),
    p99: result.latency.p99.toFixed(2),
    errors: String(result.errors.connect + result.errors.connection + result.errors.mismatch),
  });
  if (argv.json) print(JSON.stringify(result));
  else for (const line of benchLines(result)) print(line);
  // Nothing measured (not one echo back) or a wrong echo: a failed run.
  return result.bytes === 0 || result.errors.mismatch > 0 ? 1 : 0;
}

async function main(): Promise<number | undefined> {
  // yargs drops a lone "-" argument, so it becomes --stdin before parsing.
  const args = hideBin(process.argv);
  const separator = args.indexOf("--");
  const cliArgs = args.map((arg, i) => (arg === "-" && (separator < 0 || i < separator) ? "--stdin" : arg));
  let code: number | undefined;

  await cliParser(cliArgs, { name, version: packageVersion(import.meta.url), usage: "$0 [message] [options]\n\nEcho probe, verifier and load generator for RFC 862 echo servers." })
    .command(
      "$0 [message]",
      "send a message (default: the lab's) and check the echo; - streams stdin through the server to stdout",
      (y) =>
        targetOptions(y)
          .positional("message", { type: "string", default: DEFAULT_MESSAGE, describe: "text to send, or - for stdin" })
          .options({
            stdin: { type: "boolean", default: false, describe: "stream stdin through the server to stdout (same as message -)" },
            count: { type: "string", coerce: once("count", atLeastOne), describe: "send N times, ping-style, with a summary (Ctrl-C: the summary so far)", group: "Ping:" },
            interval: { type: "string", default: "1s", coerce: once("interval", parseDuration), describe: "pause between messages with --count", group: "Ping:" },
          })
          .check((argv) => {
            const piped = argv.stdin || argv.message === "-";
            if (piped && argv.udp) throw new UsageError("pipe mode (-) needs a stream: drop --udp");
            const bytes = Buffer.byteLength(String(argv.message));
            if (!piped && argv.udp && bytes > MAX_DATAGRAM) {
              throw new UsageError(`the message is ${bytes.toLocaleString("en-US")} bytes: a UDP datagram holds at most ${MAX_DATAGRAM.toLocaleString("en-US")} (drop --udp to send it over TCP)`);
            }
            return true;
          }),
      async (argv) => {
        code = await runProbe(argv as unknown as ProbeArgs);
      },
    )
    .command(
      "bench",
      "load generator: messages/s, MB/s, latency percentiles",
      (y) =>
        targetOptions(y)
          .options({
            connections: { type: "string", default: 50, coerce: once("connections", atLeastOne), describe: "connections held open", group: "Load:" },
            duration: { type: "string", default: "10s", coerce: once("duration", parsePositiveDuration), describe: "how long to run", group: "Load:" },
            size: { type: "string", default: 64, coerce: once("size", messageSize), describe: "bytes per message (64, 16k...)", group: "Load:" },
            rate: { type: "string", default: 0, coerce: once("rate", noneOrMore), describe: "messages/s over all connections (0: as fast as echoes return)", group: "Load:" },
            mode: { type: "string", choices: ["pingpong", "stream"], default: "pingpong", describe: "one message in flight per connection, or a continuous stream", group: "Load:" },
            verify: { type: "boolean", default: false, describe: "check every echoed byte against what was sent; a difference is an error and exits 1", group: "Load:" },
            threads: {
              type: "string",
              default: 1,
              coerce: once("threads", atLeastOne),
              describe: "generator threads sharing the connections (when one core cannot keep the server busy)",
              group: "Load:",
            },
          })
          .check((argv) => {
            if (argv.udp && argv.mode === "stream") throw new UsageError("--udp sends ping-pong datagrams: --mode stream is for TCP and TLS (use --connections and --rate for more load)");
            if (argv.udp && (argv.size < DATAGRAM_HEADER || argv.size > MAX_DATAGRAM)) {
              throw new UsageError(`--udp --size must be ${DATAGRAM_HEADER} to ${MAX_DATAGRAM} bytes (each datagram carries an ${DATAGRAM_HEADER}-byte header), not ${argv.size}`);
            }
            return true;
          }),
      async (argv) => {
        code = await runBenchCommand(argv as unknown as BenchArgs);
      },
    )
    .example("$0", "the lab's run against localhost:9900")
    .example("$0 hello --host 127.0.0.1 --port 9900", "another message, to a given host and port")
    .example("$0 --count 5 --interval 200ms", "ping-style round trips with min/avg/max/mdev and percentiles")
    .example("$0 --udp --count 10", "over UDP")
    .example("$0 --tls --ca ca.pem --port 9901", "over TLS")
    .example("$0 - < big.bin | sha256sum", "stream a file through the server")
    .example("$0 bench --connections 50 --duration 10s --size 64", "load test, ping-pong")
    .example("$0 bench --mode stream --size 65536 --json", "bulk throughput, for scripts")
    .example("$0 bench --connections 200 --threads 4", "a load one generator core cannot make")
    .example("$0 bench --mode stream --verify --duration 1m", "prove every byte comes back intact, in order")
    .example("$0 bench --udp --rate 5000 --timeout 200ms", "UDP: round trips, loss and late echoes at 5,000 datagrams/s")
    .parseAsync();
  return code;
}

await runCli(name, main);
