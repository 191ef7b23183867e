const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
// pino's own fields, shown in their own places or not at all.
const HIDDEN = new Set(["level", "time", "pid", "hostname", "name", "msg", "v"]);

function fieldText(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** A pino JSON line as an object, or undefined for any other line. */
export function logRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const record: unknown = JSON.parse(line);
    return typeof record === "object" && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line of a daemon's output made readable: a pino JSON line becomes
 * `HH:MM:SS LEVEL msg key=value...`; any other line is kept as it is.
 */
export function readableLogLine(line: string): string {
  const record = logRecord(line);
  if (!record) return line;
  const time = typeof record.time === "number" ? new Date(record.time).toISOString().slice(11, 19) : "--:--:--";
  const level = typeof record.level === "number" ? (LEVELS[record.level] ?? String(record.level)) : "INFO";
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const msg = typeof record.msg === "string" ? record.msg : "";
  return [time, level.padEnd(5), msg, ...fields].filter((part) => part !== "").join(" ");
}
