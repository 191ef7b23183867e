import { UsageError } from "./usage-error.js";

/**
 * A yargs `coerce` for a flag that takes one value: parse checks it; the flag given twice, or
 * with an empty value, is a usage error naming it (yargs alone would hand over an array).
 */
export function once<T>(flag: string, parse: (value: string) => T): (value: unknown) => T {
  return (value) => {
    if (Array.isArray(value)) throw new UsageError(`--${flag} given ${value.length} times: give it once`);
    if (value === undefined || String(value).trim() === "") throw new UsageError(`--${flag} needs a value`);
    try {
      return parse(String(value));
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`--${flag}: ${error.message}`);
      throw error;
    }
  };
}

/** A yargs `coerce` for a repeatable flag: every value parsed, an empty one refused. */
export function each<T>(flag: string, parse: (value: string) => T): (value: unknown) => T[] {
  const one = once(flag, parse);
  return (value) => (Array.isArray(value) ? value : [value]).map((item) => one(item));
}
