import v8 from "node:v8";

/**
 * Keeps V8's young generation at its starting size (1 MiB per semi-space). By default it grows
 * to 16 MiB per semi-space as soon as startup or a burst of sign-ons keeps objects alive, and
 * those 32 MiB stay resident: more than a server's heap before its first client. Messages die
 * young, so a small nursery costs a few more, cheaper scavenges. Must run before the server's
 * modules load. NETLAB_YOUNG_GENERATION=default leaves V8's growth alone.
 */
export function keepYoungGenerationSmall(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NETLAB_YOUNG_GENERATION === "default") return false;
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return true;
}
