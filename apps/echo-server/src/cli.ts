import { readFileSync } from "node:fs";
import { each, once, packageVersion, parseByteSize, parseCount, parsePort, runCli } from "@netlab/cli";
import { cliParser, daemonConfig, daemonOptions, envPrefix, runDaemon, type DaemonArgs } from "@netlab/daemon";
import { hideBin } from "yargs/helpers";
import { DEFAULT_BLOCKED_SOURCE_PORTS } from "./loop-ports.js";
import { createEchoServer } from "./server.js";
import type { EchoTlsOptions } from "./options.js";

const name = "echo-server";
const GROUP = "Echo options:";
const atLeastOne = (value: string): number => parseCount(value, { min: 1 });
const noneOrMore = (value: string): number => parseCount(value, { min: 0 });

/** A file the user named that cannot be read: one line, exit 1. */
function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

async function main(): Promise<number | undefined> {
  const argv = await cliParser(hideBin(process.argv), {
    name,
    version: packageVersion(import.meta.url),
    usage: "$0 [options]\n\nRFC 862 echo daemon over TCP, UDP and TLS. JSON logs on stdout.",
  })
    .options(daemonOptions({ port: 9900 }))
    .options({
      tcp: { type: "boolean", default: true, describe: "serve TCP echo (--no-tcp turns it off)", group: GROUP },
      udp: { type: "boolean", default: true, describe: "serve UDP echo (--no-udp turns it off)", group: GROUP },
      "udp-port": { type: "string", coerce: once("udp-port", parsePort), describe: "UDP port (default: the TCP port)", group: GROUP },
      "tls-cert": { type: "string", describe: "PEM certificate: opens a TLS echo listener", implies: "tls-key", group: GROUP },
      "tls-key": { type: "string", describe: "PEM private key for --tls-cert", implies: "tls-cert", group: GROUP },
      "tls-port": { type: "string", default: 9901, coerce: once("tls-port", parsePort), describe: "TLS port", group: GROUP },
      "max-bytes": {
        type: "string",
        default: 0,
        coerce: once("max-bytes", parseByteSize),
        describe: "close a connection after it sent this many bytes (64k, 1m...; 0: no limit)",
        group: GROUP,
      },
      "udp-rate": { type: "string", default: 1000, coerce: once("udp-rate", noneOrMore), describe: "UDP datagrams per second from one source address (0: no limit)", group: GROUP },
      "udp-burst": { type: "string", coerce: once("udp-burst", atLeastOne), describe: "UDP burst per source address (default: --udp-rate)", group: GROUP },
      "blocked-ports": {
        type: "string",
        array: true,
        default: [...DEFAULT_BLOCKED_SOURCE_PORTS],
        coerce: each("blocked-ports", parsePort),
        describe: "UDP source ports never echoed (loops, reflection)",
        group: GROUP,
      },
    })
    .env(envPrefix(name))
    .example("$0", "TCP and UDP echo on 127.0.0.1:9900")
    .example("$0 --host :: --port 7 --metrics-port 9464", "open to all, on the standard port, with Prometheus metrics")
    .example("$0 --tls-cert cert.pem --tls-key key.pem", "also TLS echo on port 9901")
    .example("$0 --workers 4 --max-connections 50000", "four processes for four cores")
    .example("NETLAB_ECHO_SERVER_PORT=7007 $0", "configure from the environment")
    .parseAsync();

  const config = daemonConfig(argv as unknown as DaemonArgs);
  const tls: EchoTlsOptions | undefined =
    argv.tlsCert !== undefined && argv.tlsKey !== undefined ? { cert: readPem(argv.tlsCert), key: readPem(argv.tlsKey), port: argv.tlsPort } : undefined;

  await runDaemon({
    name,
    config,
    create: ({ log, metrics }) =>
      createEchoServer({
        host: config.host,
        port: config.port,
        tcp: argv.tcp,
        udp: argv.udp,
        ...(argv.udpPort !== undefined ? { udpPort: argv.udpPort } : {}),
        ...(tls ? { tls } : {}),
        maxConnections: config.maxConnections,
        maxPerAddress: config.maxPerAddress,
        idleTimeoutMs: config.idleTimeoutMs,
        maxBytes: argv.maxBytes,
        udpRatePerSecond: argv.udpRate,
        ...(argv.udpBurst !== undefined ? { udpBurst: argv.udpBurst } : {}),
        blockedSourcePorts: argv.blockedPorts,
        log,
        metrics,
      }),
  });
  return undefined;
}

await runCli(name, main);
