import { once, parseCount, parsePositiveDuration } from "@netlab/cli";
import type { Argv } from "yargs";
import { parseServerAddress, ServerAddressError } from "../server-address.js";

/** --server, --timeout and --concurrency, shared by the resolve and reverse commands. */
export function withLookupOptions<T>(parser: Argv<T>) {
  return parser
    .option("server", {
      alias: "s",
      type: "string",
      array: true,
      // One value per --server, so `--server ADDR HOST` (as with `dig @server name`) leaves HOST a host.
      nargs: 1,
      describe: "Ask this DNS server directly (ADDR, ADDR:PORT or [IPv6]:PORT); repeatable. Default: the system resolver",
    })
    .option("timeout", { alias: "t", type: "string", default: "5000", coerce: once("timeout", parsePositiveDuration), describe: "Deadline of each lookup (milliseconds, or 2s, 500ms)" })
    .option("concurrency", { alias: "c", type: "string", default: "16", coerce: once("concurrency", (text) => parseCount(text, { max: 1000 })), describe: "Lookups in flight at once" })
    .check((argv) => {
      for (const server of argv.server ?? []) {
        try {
          parseServerAddress(server);
        } catch (error) {
          if (error instanceof ServerAddressError) return error.message;
          throw error;
        }
      }
      return true;
    });
}
