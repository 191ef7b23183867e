import { ResolveError } from "../resolve-error.js";

/** One input's answer or failure, as the resolve and reverse commands print it. */
export type LookupOutcome<T> =
  | { input: string; ok: true; value: T }
  | { input: string; ok: false; code: string; message: string; reason: string };

/** Runs a lookup and keeps its ResolveError as data; anything else is a bug and rethrown. */
export async function lookupOutcome<T>(input: string, lookup: () => Promise<T>): Promise<LookupOutcome<T>> {
  try {
    return { input, ok: true, value: await lookup() };
  } catch (error) {
    if (!(error instanceof ResolveError)) throw error;
    return { input, ok: false, code: error.code, message: error.message, reason: error.reason };
  }
}

/** JSON form: the answer under `key`, or `error: { code, message }`. */
export function outcomeJson<T>(outcome: LookupOutcome<T>, key: string, inputKey: string): Record<string, unknown> {
  if (outcome.ok) return { [inputKey]: outcome.input, [key]: outcome.value };
  return { [inputKey]: outcome.input, error: { code: outcome.code, message: outcome.message } };
}

/** Text form: one line per input, in input order. */
export function outcomeLines<T>(outcomes: readonly LookupOutcome<T>[], format: (value: T) => string): string[][] {
  return outcomes.map((outcome) =>
    outcome.ok ? [outcome.input, format(outcome.value)] : [outcome.input, `error ${outcome.code}: ${outcome.reason}`],
  );
}
