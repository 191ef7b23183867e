import type { Logger } from "pino";
import { RateLimiter } from "./rate-limiter.js";

/** Logs one warning per key. */
export type ThrottledWarn = (key: string, fields: Record<string, unknown>, message: string) => void;

/**
 * A warn logger for limit hits: at most `perSecond` lines per key (a reason such as
 * "max-connections"), each carrying how many were `suppressed` since the last, so a flood
 * cannot flood the log too.
 */
export function throttledWarn(log: Logger, perSecond = 1, now: () => number = Date.now): ThrottledWarn {
  const limiter = new RateLimiter({ ratePerSecond: perSecond, burst: perSecond, maxKeys: 1000, now });
  const suppressed = new Map<string, number>();
  return (key, fields, message) => {
    if (!limiter.take(key)) {
      suppressed.set(key, (suppressed.get(key) ?? 0) + 1);
      return;
    }
    log.warn({ ...fields, suppressed: suppressed.get(key) ?? 0 }, message);
    suppressed.delete(key);
  };
}
