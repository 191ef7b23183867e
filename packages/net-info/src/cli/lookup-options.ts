import type { Argv } from "yargs";
import { parseServerAddress, ServerAddressError } from "../server-address.js";

/** --server, --timeout and --concurrency, shared by the resolve and reverse commands. */
export function withLookupOptions<T>(parser: Argv<T>) {
  return parser
    .option("server", {
      alias: "s",
      type: "string",
      array: true,
      describe: "Ask this DNS server directly (ADDR, ADDR:PORT or [IPv6]:PORT); repeatable. Default: the system resolver",
    })
    .option("timeout", { alias: "t", type: "number", default: 5000, describe: "Deadline of each lookup in milliseconds" })
    .option("concurrency", { alias: "c", type: "number", default: 16, describe: "Lookups in flight at once" })
    .check((argv) => {
      for (const server of argv.server ?? []) {
        try {
          parseServerAddress(server);
        } catch (error) {
          if (error instanceof ServerAddressError) return error.message;
          throw error;
        }
      }
      if (!(Number.isInteger(argv.timeout) && argv.timeout > 0)) return "--timeout must be a positive whole number of milliseconds";
      if (!(Number.isInteger(argv.concurrency) && argv.concurrency > 0)) return "--concurrency must be a positive whole number";
      return true;
    });
}
