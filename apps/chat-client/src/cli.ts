import yargs from "yargs";
import { hideBin } from "yargs/helpers";

// Placeholder until the IRC client lands.
await yargs(hideBin(process.argv))
  .scriptName("chat-client")
  .usage("$0 [options]\n\nTerminal IRC client (not yet implemented).")
  .strict()
  .parseAsync();
console.error("chat-client: not implemented yet");
