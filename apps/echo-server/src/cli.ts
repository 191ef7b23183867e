import { readFileSync } from "node:fs";
import { cliParser, daemonConfig, daemonOptions, envPrefix, runDaemon, type DaemonArgs } from "@netlab/daemon";
import { hideBin } from "yargs/helpers";
import { DEFAULT_BLOCKED_SOURCE_PORTS } from "./loop-ports.js";
import { createEchoServer } from "./server.js";
import type { EchoTlsOptions } from "./options.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const argv = await cliParser(hideBin(process.argv), {
  name: "echo-server",
  version,
  usage: "$0 [options]\n\nRFC 862 echo daemon over TCP, UDP and TLS. JSON logs on stdout.",
})
  .options(daemonOptions({ port: 9900 }))
  .options({
    tcp: { type: "boolean", default: true, describe: "serve TCP echo (--no-tcp turns it off)", group: "Echo options:" },
    udp: { type: "boolean", default: true, describe: "serve UDP echo (--no-udp turns it off)", group: "Echo options:" },
    "udp-port": { type: "number", describe: "UDP port (default: the TCP port)", group: "Echo options:" },
    "tls-cert": { type: "string", describe: "PEM certificate: opens a TLS echo listener", implies: "tls-key", group: "Echo options:" },
    "tls-key": { type: "string", describe: "PEM private key for --tls-cert", implies: "tls-cert", group: "Echo options:" },
    "tls-port": { type: "number", default: 9901, describe: "TLS port", group: "Echo options:" },
    "max-bytes": { type: "number", default: 0, describe: "close a connection after it sent this many bytes (0: no limit)", group: "Echo options:" },
    "udp-rate": { type: "number", default: 1000, describe: "UDP datagrams per second from one source address (0: no limit)", group: "Echo options:" },
    "udp-burst": { type: "number", describe: "UDP burst per source address (default: --udp-rate)", group: "Echo options:" },
    "blocked-ports": {
      type: "number",
      array: true,
      default: [...DEFAULT_BLOCKED_SOURCE_PORTS],
      describe: "UDP source ports never echoed (loops, reflection)",
      group: "Echo options:",
    },
  })
  .env(envPrefix("echo-server"))
  .example("$0", "TCP and UDP echo on 127.0.0.1:9900")
  .example("$0 --host :: --port 7 --metrics-port 9464", "open to all, on the standard port, with Prometheus metrics")
  .example("$0 --tls-cert cert.pem --tls-key key.pem", "also TLS echo on port 9901")
  .example("$0 --workers 4 --max-connections 50000", "four processes for four cores")
  .example("NETLAB_ECHO_SERVER_PORT=7007 $0", "configure from the environment")
  .parseAsync();

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    process.stderr.write(`echo-server: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    process.exit(1);
  }
}

const config = daemonConfig(argv as unknown as DaemonArgs);
const tls: EchoTlsOptions | undefined =
  argv.tlsCert !== undefined && argv.tlsKey !== undefined ? { cert: readPem(argv.tlsCert), key: readPem(argv.tlsKey), port: argv.tlsPort } : undefined;

await runDaemon({
  name: "echo-server",
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
