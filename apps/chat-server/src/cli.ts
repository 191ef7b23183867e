import yargs from "yargs";
import { hideBin } from "yargs/helpers";

// Placeholder until the IRC daemon lands.
await yargs(hideBin(process.argv))
  .scriptName("chat-server")
  .usage("$0 [options]\n\nIRC-compatible chat daemon (not yet implemented).")
  .strict()
  .parseAsync();
console.error("chat-server: not implemented yet");
