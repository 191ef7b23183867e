/** What a parser found wrong: where (0-based index into the input) and why. */
export interface ParseProblem {
  index: number;
  reason: string;
}

/** The problem of an unexpected character at index. */
export function unexpected(text: string, index: number): ParseProblem {
  return { index, reason: `unexpected character ${JSON.stringify(text[index])}` };
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

/** The byte length of an address family: 4 or 16. */
export function familyLength(family: number): 4 | 16 {
  if (family === 4 || family === 6) return family === 4 ? 4 : 16;
  throw new IPValueError(`family must be 4 or 6, not ${family}`);
}

/** A value that cannot be an address: wrong byte length, family, or an integer out of range. */
export class IPValueError extends Error {
  readonly code = "ERR_IP_VALUE";

  constructor(message: string) {
    super(message);
    this.name = "IPValueError";
  }
}
