// @netlab/cli's: a command whose stdout reader goes away (`cli | head -1`) ends quietly with its exit code so far.
export { exitQuietlyWhenStdoutCloses } from "@netlab/cli";
