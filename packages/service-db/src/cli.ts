import { cliParser, once, packageVersion, runCli, UsageError } from "@netlab/cli";
import type { Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { formatTable, serviceRow, TABLE_HEADER } from "./format-table.js";
import { PROTOCOLS, type Protocol } from "./protocol.js";
import type { NameOnlyService, Service } from "./service.js";
import { createServiceDb, type ServiceDb } from "./service-db.js";
import { parseNameQuery, parsePortQuery, type ServiceQuery } from "./service-query.js";

interface GlobalOptions {
  protocol: string | undefined;
  json: boolean;
  embedded: boolean;
  "services-file": string | undefined;
}

type Found = Service | NameOnlyService;

function openDb(argv: GlobalOptions): ServiceDb {
  return createServiceDb({
    source: argv.embedded ? "embedded" : "system",
    ...(argv["services-file"] === undefined ? {} : { servicesFile: argv["services-file"] }),
  });
}

/** Prints answers as a table or JSON (null for a miss); a miss also gets a line on stderr and exit code 1. */
function report(argv: GlobalOptions, queries: { label: string; found: Found | undefined }[]): void {
  const found = queries.flatMap((q) => (q.found === undefined ? [] : [q.found]));
  if (argv.json) console.log(JSON.stringify(queries.map((q) => q.found ?? null), null, 2));
  else if (found.length > 0) console.log(formatTable(TABLE_HEADER, found.map(serviceRow)).join("\n"));
  for (const q of queries) {
    if (q.found === undefined) {
      console.error(`service-db: ${q.label} not found`);
      process.exitCode = 1;
    }
  }
}

function label<T extends number | string>(kind: string, query: ServiceQuery<T>): string {
  return `${kind} ${String(query.value)}${query.protocol === undefined ? "" : `/${query.protocol}`}`;
}

function withProtocol<T extends number | string>(query: ServiceQuery<T>, argv: GlobalOptions): ServiceQuery<T> {
  return { value: query.value, protocol: query.protocol ?? (argv.protocol as Protocol | undefined) };
}

/** Runs a handler; a bad port, protocol or source in the arguments is a usage error (exit 2). */
function usageErrors(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new UsageError(error.message);
  }
}

/** A name or search text must say something: an empty one would match nothing, or everything. */
function nonEmpty(what: string, values: readonly string[]): void {
  if (values.some((value) => value.trim() === "")) throw new UsageError(`an empty ${what} matches nothing useful: give a word`);
}

const cli: Argv = cliParser(hideBin(process.argv), {
  name: "service-db",
  version: packageVersion(import.meta.url),
  usage: "$0 [options] <port[/protocol]...>\n\nPort/protocol to service name and back, from the IANA registry and the system services file.",
})
  .option("protocol", { alias: "p", type: "string", choices: [...PROTOCOLS], describe: "protocol to look up (default: tcp, then udp, sctp, dccp)" })
  .option("json", { type: "boolean", default: false, describe: "print JSON (null for a miss)" })
  .option("embedded", { type: "boolean", default: false, describe: "use the embedded IANA registry alone, ignoring the system file" })
  .option("services-file", { type: "string", coerce: once("services-file", (file) => file), describe: "services(5) file to read (default: $NETLAB_SERVICES_FILE or /etc/services)" })
  .command(
    "$0 <ports..>",
    "look up services by port",
    (y) => y.positional("ports", { type: "string", array: true, demandOption: true, describe: "ports, each optionally /protocol" }),
    (argv) =>
      usageErrors(() => {
        const db = openDb(argv);
        const queries = argv.ports.map((text) => withProtocol(parsePortQuery(text), argv));
        report(
          argv,
          queries.map((query) => ({ label: label("port", query), found: db.serviceByPort(query.value, query.protocol) })),
        );
      }),
  )
  .command(
    "name <names..>",
    "look up services by name or alias",
    (y) => y.positional("names", { type: "string", array: true, demandOption: true, describe: "names, each optionally /protocol" }),
    (argv) =>
      usageErrors(() => {
        nonEmpty("service name", argv.names);
        const db = openDb(argv);
        const queries = argv.names.map((text) => withProtocol(parseNameQuery(text), argv));
        report(
          argv,
          queries.map((query) => ({ label: label("service", query), found: db.serviceByName(query.value, query.protocol) })),
        );
      }),
  )
  .command(
    "search <text>",
    "find services whose name, alias or description contains the text",
    (y) => y.positional("text", { type: "string", demandOption: true }),
    (argv) => {
      nonEmpty("search text", [argv.text]);
      const db = openDb(argv);
      const found = db.searchServices(argv.text, argv.protocol === undefined ? {} : { protocol: argv.protocol as Protocol });
      if (argv.json) console.log(JSON.stringify(found, null, 2));
      else if (found.length > 0) console.log(formatTable(TABLE_HEADER, found.map(serviceRow)).join("\n"));
      if (found.length === 0) {
        console.error(`service-db: no service matches ${JSON.stringify(argv.text)}`);
        process.exitCode = 1;
      }
    },
  )
  .example("$0 21 22 110", "the lab's table: ftp, ssh, pop3")
  .example("$0 --protocol udp 53", "53/udp: domain")
  .example("$0 80/tcp 53/udp 6667", "protocol per port")
  .example("$0 name ssh imaps", "ports of services by name")
  .example("$0 search mail", "services about mail")
  .example("$0 --embedded --json 6667", "the IANA answer (ircu), as JSON")
  .epilogue("Exit status: 0 all found; 1 something was not found; 2 usage error.")
  .demandCommand(1)
  .recommendCommands()
  .alias("version", "v")
  .wrap(null);

await runCli("service-db", async () => {
  await cli.parseAsync();
  return undefined;
});
