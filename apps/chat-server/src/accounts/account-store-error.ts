/** An account store could not be opened or used: store says which kind, input what it was given (a file, a URL, a value, or ""). */
export class AccountStoreError extends Error {
  constructor(
    readonly code: string,
    readonly store: "sqlite" | "redis",
    readonly input: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AccountStoreError";
  }
}

/** The message of a caught error on one line, so log lines and replies stay one line each. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * A read marker time in its one stored form (`YYYY-MM-DDTHH:MM:SS.sssZ`), so that both stores
 * can compare markers as plain strings; invalid times and years outside 0-9999 are refused.
 */
export function markerTime(timestamp: string, store: "sqlite" | "redis"): string {
  const ms = Date.parse(timestamp);
  const normal = Number.isFinite(ms) ? new Date(ms).toISOString() : "";
  if (normal.length !== 24) throw new AccountStoreError("EINVAL", store, timestamp, `read marker: not an ISO 8601 time: ${JSON.stringify(timestamp)}`);
  return normal;
}

/** A JSON array of strings as stored (channel lists, fingerprints); anything else is a damaged record. */
export function stringList(json: string, store: "sqlite" | "redis", what: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AccountStoreError("ECORRUPT", store, json, `${what}: not JSON: ${oneLine(error)}`, { cause: error });
  }
  if (!isStringList(value)) {
    throw new AccountStoreError("ECORRUPT", store, json, `${what}: not a list of strings`);
  }
  return value;
}

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
