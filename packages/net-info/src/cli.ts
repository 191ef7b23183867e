import { hideBin } from "yargs/helpers";
import { processIo } from "./cli/cli-io.js";
import { runCli } from "./cli/run-cli.js";

process.exitCode = await runCli(hideBin(process.argv), processIo());
