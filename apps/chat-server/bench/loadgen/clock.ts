// Epoch milliseconds with sub-millisecond precision, comparable between the load processes of one machine.
import { performance } from "node:perf_hooks";

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
