/**
 * Ends a CLI quietly when the reader of its stdout goes away (`cli | head -1`): exit with the
 * code so far (0 by default) instead of an EPIPE stack trace, as other command-line tools do.
 * Any other stdout error is one line on stderr and exit 1.
 */
export function exitQuietlyWhenStdoutCloses(name: string, stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`${name}: cannot write to stdout: ${error.message}\n`);
    process.exit(1);
  });
}
