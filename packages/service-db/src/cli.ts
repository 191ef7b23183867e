import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { assertPort } from "./port.js";

await yargs(hideBin(process.argv))
  .scriptName("service-db")
  .command("$0 <ports..>", "check ports", (y) => y.positional("ports", { type: "number", array: true, demandOption: true }), (argv) => {
    for (const port of argv.ports) assertPort(port);
  })
  .strict()
  .parseAsync();
