import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { hostName } from "./host-name.js";

await yargs(hideBin(process.argv))
  .scriptName("net-info")
  .command("$0", "print this machine's host name", {}, () => {
    console.log(`Host name: ${hostName()}`);
  })
  .strict()
  .parseAsync();
