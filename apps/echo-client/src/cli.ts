import { readFileSync, fstatSync } from "node:fs";
import { cliParser, exitQuietlyWhenStdoutCloses, parseDuration } from "@netlab/daemon";
import type { Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { type BenchMode } from "./bench.js";
import { runBenchThreads } from "./bench-threads.js";
import { DATAGRAM_HEADER, MAX_DATAGRAM } from "./bench-udp.js";
import { EchoClientError } from "./errors.js";
import { pipeThrough } from "./pipe.js";
import { probe } from "./probe.js";
import { progressBar } from "./progress.js";
import { benchLines, pingLine, pingSummary, stepLine } from "./report.js";
import { formatTarget, type EchoTarget } from "./target.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
const DEFAULT_MESSAGE = "Test message: SDN course examples";

// A reader that went away (`echo-client bench | head -3`) ends the run quietly.
exitQuietlyWhenStdoutCloses("echo-client");

function targetOptions<T>(y: Argv<T>) {
  return y.options({
    host: { type: "string", default: "localhost", describe: "echo server host name or address (IPv4 or IPv6)", group: "Target:" },
    port: { type: "number", default: 9900, describe: "echo server port", group: "Target:" },
    timeout: { type: "string", default: "5s", coerce: parseDuration, describe: "connect and read deadline (500ms, 5s...)", group: "Target:" },
    udp: { type: "boolean", default: false, describe: "use UDP", group: "Target:" },
    tls: { type: "boolean", default: false, describe: "use TLS (echo-server --tls-cert, port 9901)", group: "Target:" },
    ca: { type: "string", describe: "PEM CA certificate to trust for --tls", group: "Target:" },
    insecure: { type: "boolean", default: false, describe: "with --tls: do not check the certificate", group: "Target:" },
    servername: { type: "string", describe: "with --tls: name to check the certificate against", group: "Target:" },
    json: { type: "boolean", default: false, describe: "print one JSON object instead of text" },
  }).check((argv) => {
    if (argv.udp && argv.tls) throw new Error("--udp and --tls cannot be used together");
    return true;
  });
}

interface TargetArgs {
  host: string;
  port: number;
  timeout: number | string;
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
    timeoutMs: parseDuration(argv.timeout),
    tls: { ...(ca ? { ca } : {}), insecure: argv.insecure, ...(argv.servername ? { servername: argv.servername } : {}) },
  };
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function runPipe(target: EchoTarget, json: boolean): Promise<void> {
  if (target.transport === "udp") throw new EchoClientError("NETWORK", formatTarget(target.host, target.port), "pipe mode needs a stream: drop --udp");
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
  } finally {
    bar.stop();
  }
}

async function runProbe(argv: TargetArgs & { message: string; stdin: boolean; count: number | undefined; interval: number | string; json: boolean }): Promise<void> {
  const target = targetFrom(argv);
  if (argv.stdin || argv.message === "-") return runPipe(target, argv.json);
  const message = Buffer.from(argv.message);
  const ping = argv.count !== undefined;
  const name = formatTarget(target.host, target.port);
  if (!argv.json && !ping) print(`Connecting to ${name} over ${target.transport.toUpperCase()}...`);
  const result = await probe({
    target,
    message,
    count: argv.count ?? 1,
    intervalMs: parseDuration(argv.interval),
    onStep: (step) => {
      if (argv.json) return;
      if (ping) {
        const line = pingLine(step, name);
        if (line) print(line);
      } else {
        print(stepLine(step, message));
      }
    },
  });
  const ok = result.received === result.sent && result.mismatched === 0;
  if (argv.json) {
    print(JSON.stringify({ ...result, echo: result.echo?.toString("utf8"), ok }));
  } else if (ping) {
    for (const line of pingSummary(result)) print(line);
  } else {
    print(ok ? "Echo matches what was sent" : "Echo DIFFERS from what was sent");
  }
  if (!ok) process.exitCode = 1;
}

async function runBenchCommand(argv: TargetArgs & { connections: number; duration: number | string; size: number; rate: number; mode: string; threads: number; verify: boolean; json: boolean }): Promise<void> {
  const target = targetFrom(argv);
  const durationMs = parseDuration(argv.duration);
  const bar = argv.json ? progressBar("", 1) : progressBar("bench {bar} {value}/{total} s | {rate} msg/s | {mb} MB/s | p99 {p99} ms | errors {errors}", Math.ceil(durationMs / 1000), {
        rate: "0",
        mb: "0.0",
        p99: "-",
        errors: "0",
      });
  const result = await runBenchThreads({
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
  bar.stop();
  if (argv.json) print(JSON.stringify(result));
  else for (const line of benchLines(result)) print(line);
  // Nothing measured (nothing opened, or not one echo back) or a wrong echo: a failed run.
  if (result.connected === 0 || result.bytes === 0 || result.errors.mismatch > 0) process.exitCode = 1;
}

// yargs drops a lone "-" argument, so it becomes --stdin before parsing.
const args = hideBin(process.argv);
const separator = args.indexOf("--");
const cliArgs = args.map((arg, i) => (arg === "-" && (separator < 0 || i < separator) ? "--stdin" : arg));

try {
  await cliParser(cliArgs, { name: "echo-client", version, usage: "$0 [message] [options]\n\nEcho probe, verifier and load generator for RFC 862 echo servers." })
    .command(
      "$0 [message]",
      "send a message (default: the lab's) and check the echo; - streams stdin through the server to stdout",
      (y) =>
        targetOptions(y)
          .positional("message", { type: "string", default: DEFAULT_MESSAGE, describe: "text to send, or - for stdin" })
          .options({
            stdin: { type: "boolean", default: false, describe: "stream stdin through the server to stdout (same as message -)" },
            count: { type: "number", describe: "send N times, ping-style, with a summary", group: "Ping:" },
            interval: { type: "string", default: "1s", coerce: parseDuration, describe: "pause between messages with --count", group: "Ping:" },
          }),
      (argv) => runProbe(argv as typeof argv & TargetArgs & { message: string }),
    )
    .command(
      "bench",
      "load generator: messages/s, MB/s, latency percentiles",
      (y) =>
        targetOptions(y).options({
          connections: { type: "number", default: 50, describe: "connections held open", group: "Load:" },
          duration: { type: "string", default: "10s", coerce: parseDuration, describe: "how long to run", group: "Load:" },
          size: { type: "number", default: 64, describe: "bytes per message", group: "Load:" },
          rate: { type: "number", default: 0, describe: "messages/s over all connections (0: as fast as echoes return)", group: "Load:" },
          mode: { type: "string", choices: ["pingpong", "stream"], default: "pingpong", describe: "one message in flight per connection, or a continuous stream", group: "Load:" },
          verify: { type: "boolean", default: false, describe: "check every echoed byte against what was sent; a difference is an error and exits 1", group: "Load:" },
          threads: { type: "number", default: 1, describe: "generator threads sharing the connections (when one core cannot keep the server busy)", group: "Load:" },
        }).check((argv) => {
          if (!Number.isInteger(argv.threads) || argv.threads < 1) throw new Error(`--threads must be a whole number of 1 or more, not ${argv.threads}`);
          if (argv.udp && argv.mode === "stream") throw new Error("--udp sends ping-pong datagrams: --mode stream is for TCP and TLS (use --connections and --rate for more load)");
          if (argv.udp && (!Number.isInteger(argv.size) || argv.size < DATAGRAM_HEADER || argv.size > MAX_DATAGRAM)) {
            throw new Error(`--udp --size must be ${DATAGRAM_HEADER} to ${MAX_DATAGRAM} bytes (each datagram carries an ${DATAGRAM_HEADER}-byte header), not ${argv.size}`);
          }
          return true;
        }),
      (argv) => runBenchCommand(argv as typeof argv & TargetArgs),
    )
    .example("$0", "the lab's run against localhost:9900")
    .example("$0 'hello' --host ::1 --port 7", "IPv6, another port")
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
} catch (error) {
  if (error instanceof EchoClientError) {
    process.stderr.write(`echo-client: ${error.message}\n`);
  } else {
    process.stderr.write(`echo-client: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
}
