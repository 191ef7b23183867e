// The yargs base of every netlab command lives in @netlab/cli; daemons and their users keep importing it from here.
export { cliParser, type CliParserOptions } from "@netlab/cli";
