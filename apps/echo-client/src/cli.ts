import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { echoOnce } from "./echo-once.js";

await yargs(hideBin(process.argv))
  .scriptName("echo-client")
  .command(
    "$0 [message]",
    "send a message to an echo server and check the echo",
    (y) =>
      y
        .positional("message", { type: "string", default: "Test message: SDN course examples" })
        .option("host", { type: "string", default: "localhost" })
        .option("port", { type: "number", default: 9900 }),
    async (argv) => {
      const echo = await echoOnce({ host: argv.host, port: argv.port, message: argv.message });
      console.log(`Received: ${echo}`);
      process.exitCode = echo === argv.message ? 0 : 1;
    },
  )
  .strict()
  .parseAsync();
