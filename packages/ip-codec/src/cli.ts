import { main } from "./command.js";

process.exitCode = main(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line));
