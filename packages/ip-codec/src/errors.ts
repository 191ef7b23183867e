/** What a parser found wrong: where (0-based index into the input) and why. */
export interface ParseProblem {
  index: number;
  reason: string;
}

/** Text that is not a valid address, prefix or hex string. `index` points at the first bad character. */
export class IPParseError extends Error {
  readonly code = "ERR_IP_PARSE";
  readonly input: string;
  readonly index: number;
  readonly reason: string;

  constructor(what: string, input: string, problem: ParseProblem) {
    super(`invalid ${what} ${JSON.stringify(input)}: ${problem.reason}`);
    this.name = "IPParseError";
    this.input = input;
    this.index = problem.index;
    this.reason = problem.reason;
  }
}

/** A value that cannot be an address: wrong byte length, family, or an integer out of range. */
export class IPValueError extends Error {
  readonly code = "ERR_IP_VALUE";

  constructor(message: string) {
    super(message);
    this.name = "IPValueError";
  }
}
