/** A value or flag the user got wrong: one line on stderr and exit 2. */
export class UsageError extends Error {
  readonly code = "EUSAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
