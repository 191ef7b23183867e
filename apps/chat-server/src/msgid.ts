import { randomBytes } from "node:crypto";

/** Messages made by this process so far: orders ids made in one millisecond. */
let made = 0;
/** Random bits refilled in blocks: one system call per 1,024 ids. */
let pool = Buffer.alloc(0);
let used = 0;

/**
 * A new msgid: the time in ms (base 36, fixed width), this process's count (so ids made in
 * one millisecond keep their order), then 48 random bits (ids of other nodes never collide).
 * Ids sort by creation, and the history's msgid index grows at one end.
 */
export function newMsgid(now = Date.now()): string {
  if (used + 6 > pool.length) {
    pool = randomBytes(6 * 1024);
    used = 0;
  }
  const random = pool.readUIntBE(used, 6);
  used += 6;
  made = (made + 1) % 36 ** 6;
  return now.toString(36).padStart(9, "0") + made.toString(36).padStart(6, "0") + random.toString(36).padStart(10, "0");
}
