// A pause for a server to reach a steady state before it is sampled.
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
