/** Latest time toISOString writes with a four-digit year (10000-01-01). */
const lastFourDigitYear = 253_402_300_800_000;

/**
 * A formatter of epoch milliseconds as `toISOString()` text that formats each minute once:
 * a page of history holds many rows from the same minute, and toISOString costs about 1 µs.
 */
export function isoTimeFormatter(): (ms: number) => string {
  let minute = Number.NaN;
  let prefix = "";
  return (ms) => {
    if (ms < 0 || ms >= lastFourDigitYear || !Number.isInteger(ms)) return new Date(ms).toISOString();
    const at = Math.floor(ms / 60_000);
    if (at !== minute) {
      minute = at;
      // "YYYY-MM-DDTHH:MM:"
      prefix = new Date(at * 60_000).toISOString().slice(0, 17);
    }
    const inMinute = ms - at * 60_000;
    const seconds = Math.floor(inMinute / 1_000);
    const millis = inMinute - seconds * 1_000;
    return `${prefix}${seconds < 10 ? "0" : ""}${seconds}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
  };
}
