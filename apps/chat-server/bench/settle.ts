// A pause between a benchmark's steps, for in-flight work to land.
import { rssBytes } from "@netlab/bench-kit";

/** Resolves after ms. */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * RSS once it stops falling: V8 hands memory back 8-20 s after a burst (its memory reducer), so
 * a sample taken at once would count garbage. Samples every 500 ms until no new low for quietMs,
 * at most maxMs.
 */
export async function settledRss(pid: number, quietMs = 12_000, maxMs = 40_000): Promise<number> {
  const began = Date.now();
  let low = rssBytes(pid);
  let lowAt = Date.now();
  while (Date.now() - lowAt < quietMs && Date.now() - began < maxMs) {
    await settle(500);
    const now = rssBytes(pid);
    if (now < low) {
      low = now;
      lowAt = Date.now();
    }
  }
  return rssBytes(pid);
}
