/** How many attempts a key may make in a window, e.g. 3 failed logins per minute. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/**
 * Counts attempts per key (an account, an address) in fixed windows: once `max` are used,
 * the key is refused until its window ends. Keys whose window ended are swept as they are met.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: AttemptLimit) {}

  /** True when key may try now (its attempt is not counted yet). */
  allowed(key: string, now = Date.now()): boolean {
    if (this.limit.max <= 0) return true;
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) return true;
    return window.count < this.limit.max;
  }

  /** Counts one attempt of key. */
  count(key: string, now = Date.now()): void {
    if (this.limit.max <= 0) return;
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      // Bounded memory: a flood of distinct keys only keeps the ones whose window is still open.
      if (this.windows.size >= 100_000) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
    } else window.count++;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.limit.windowMs) this.windows.delete(key);
  }
}

/** Parses `N/DURATION` such as `3/1m` or `10/10m` (duration in s, m or h); undefined when malformed. */
export function parseAttemptLimit(text: string): AttemptLimit | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*(s|m|h)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000 }[match[3] as "s" | "m" | "h"];
  const windowMs = Number(match[2]) * unit;
  return windowMs > 0 ? { max: Number(match[1]), windowMs } : undefined;
}
