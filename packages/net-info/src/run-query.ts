import type { Channel, ChannelPool } from "./channel-pool.js";
import { deadlineError, withDeadline, type Deadline } from "./deadline.js";

/**
 * Runs one uncached query on a channel from the pool (none for the system resolver)
 * within its deadline, and cancels it when the caller gives up first.
 */
export function runQuery<T, R = T>(
  pool: ChannelPool | undefined,
  work: (channel: Channel | undefined) => Promise<R>,
  deadline: Deadline,
  shape?: (value: R) => T,
): Promise<T> {
  if (deadline.signal?.aborted) return Promise.reject(deadlineError(deadline, "ABORTED"));
  if (pool === undefined) return withDeadline(work(undefined), deadline, () => undefined, shape);
  const own = deadline.signal !== undefined;
  const channel = pool.take(own);
  return withDeadline(work(channel), deadline, (settled) => pool.give(channel, own, !settled), shape);
}
