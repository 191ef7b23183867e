/** Where a CLI run writes, and the exit code it ends with; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Exit code of the run: 0 ok, 1 an operation failed, 2 usage error. */
  exitCode: number;
}

/** Writes to the process's streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    exitCode: 0,
  };
}
