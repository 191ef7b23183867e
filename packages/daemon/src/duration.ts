/**
 * The value types of @netlab/cli, re-exported for daemon users: `parseDuration` (`500ms`, `10s`,
 * `2m`, `1h`, `30d` or plain milliseconds) and `parsePort` (0-65535). Both throw a `UsageError`
 * (code `EUSAGE`) with a one-line message.
 */
export { parseDuration, parsePort } from "@netlab/cli";
