// The machine's load when a figure was taken: this machine is shared, and a busy one slows every server alike.
import os from "node:os";

/** "load average 3.2 on 2 cores" (1 minute). */
export function loadAverage(): string {
  return `load average ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.availableParallelism()} cores`;
}
