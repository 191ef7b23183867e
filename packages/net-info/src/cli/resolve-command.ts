import type { Argv } from "yargs";
import { createResolver } from "../resolver.js";
import type { CliIo } from "./cli-io.js";
import { lookupOutcome, outcomeJson, outcomeLines } from "./lookup-outcome.js";
import { withLookupOptions } from "./lookup-options.js";
import { mapConcurrent } from "./map-concurrent.js";
import { textTable } from "./text-table.js";

/** `net-info resolve HOST...`: every address of each host, in input order. */
export function resolveCommand<T extends { json: boolean }>(parser: Argv<T>, io: CliIo): Argv<T> {
  return parser.command(
    "resolve <hosts..>",
    "Resolve host names to their IPv4 and IPv6 addresses",
    (command) =>
      withLookupOptions(
        command
          .positional("hosts", { type: "string", array: true, demandOption: true, default: undefined, describe: "Host names (or IP addresses)" })
          .option("family", { alias: "f", choices: [4, 6] as const, type: "number", describe: "Only IPv4 (4) or IPv6 (6)" }),
      ),
    async (argv) => {
      const resolver = createResolver({ servers: argv.server, timeoutMs: argv.timeout });
      const family = argv.family === 4 || argv.family === 6 ? argv.family : undefined;
      const outcomes = await mapConcurrent(argv.hosts, argv.concurrency, (host) =>
        lookupOutcome(host, () => resolver.resolve(host, family === undefined ? {} : { family })),
      );
      if (argv.json) {
        io.stdout(`${JSON.stringify(outcomes.map((outcome) => outcomeJson(outcome, "addresses", "host")), null, 2)}\n`);
      } else {
        const rows = outcomeLines(outcomes, (addresses) => addresses.map(({ address }) => address).join("  "));
        io.stdout(`${textTable(rows)}\n`);
      }
      const failed = outcomes.filter((outcome) => !outcome.ok).length;
      if (failed > 0) {
        io.stderr(`net-info: ${failed} of ${outcomes.length} hosts could not be resolved\n`);
        io.exitCode = 1;
      }
    },
  );
}
