import type { Argv } from "yargs";
import { createResolver } from "../resolver.js";
import type { CliIo } from "./cli-io.js";
import { lookupOutcome, outcomeJson, outcomeLines } from "./lookup-outcome.js";
import { withLookupOptions } from "./lookup-options.js";
import { mapConcurrent } from "./map-concurrent.js";
import { textTable } from "./text-table.js";

/** `net-info reverse ADDR...`: the PTR names of each address, in input order. */
export function reverseCommand<T extends { json: boolean }>(parser: Argv<T>, io: CliIo): Argv<T> {
  return parser.command(
    "reverse <addresses..>",
    "Look up the host names (PTR records) of IP addresses",
    (command) =>
      withLookupOptions(command.positional("addresses", { type: "string", array: true, demandOption: true, default: undefined, describe: "IPv4 or IPv6 addresses" })),
    async (argv) => {
      const resolver = createResolver({ servers: argv.server, timeoutMs: argv.timeout });
      const outcomes = await mapConcurrent(argv.addresses, argv.concurrency, (address) =>
        lookupOutcome(address, () => resolver.reverse(address)),
      );
      if (argv.json) {
        io.stdout(`${JSON.stringify(outcomes.map((outcome) => outcomeJson(outcome, "names", "address")), null, 2)}\n`);
      } else {
        io.stdout(`${textTable(outcomeLines(outcomes, (names) => names.join("  ")))}\n`);
      }
      const failed = outcomes.filter((outcome) => !outcome.ok).length;
      if (failed > 0) {
        io.stderr(`net-info: ${failed} of ${outcomes.length} addresses could not be reverse-resolved\n`);
        io.exitCode = 1;
      }
    },
  );
}
