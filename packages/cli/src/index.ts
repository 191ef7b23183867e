export { each, once } from "./flags.js";
export { cliParser, firstUnknownFlag, type CliParserOptions } from "./parser.js";
export { exitQuietlyWhenStdoutCloses, packageVersion, reportError, runCli } from "./run.js";
export { UsageError } from "./usage-error.js";
export { parseByteSize, parseCount, parseDuration, parseHost, parseHostPort, parsePort, parsePositiveDuration } from "./values.js";
