// What netlab prints goes through here: once stdout's reader has gone (`netlab demo | head -3`),
// the run goes on silently, so it still stops the daemons it started and exits with its own code.
let gone = false;

/** Watches stdout for a reader that went away; call once at startup. */
export function watchStdout(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    gone = true;
    if (error.code === "EPIPE") return;
    process.stderr.write(`netlab: cannot write to stdout: ${error.message}\n`);
    process.exitCode = 1;
  });
}

/** Writes text to stdout while anyone reads it. */
export function writeOut(text: string): void {
  if (!gone) process.stdout.write(text);
}
