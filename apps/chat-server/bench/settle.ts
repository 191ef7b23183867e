// A pause between a benchmark's steps, for in-flight work to land.

/** Resolves after ms. */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
