import { createLogger } from "@netlab/daemon";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { createEchoServer } from "./server.js";

const argv = await yargs(hideBin(process.argv))
  .scriptName("echo-server")
  .usage("$0 [options]\n\nRFC 862 echo server.")
  .option("host", { type: "string", default: "127.0.0.1", describe: "address to bind" })
  .option("port", { type: "number", default: 9900, describe: "TCP port (0 picks a free one)" })
  .env("NETLAB_ECHO_SERVER")
  .strict()
  .parseAsync();

const log = createLogger({ name: "echo-server" });
const server = createEchoServer({ host: argv.host, port: argv.port });
const address = await server.listen();
log.info({ protocol: "tcp", address: address.address, port: address.port }, "listening");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "shutting down");
    void server.close().then(() => process.exit(0));
  });
}
