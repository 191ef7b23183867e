import { randomUUID } from "node:crypto";

/**
 * A new msgid: the time in ms (base 36, fixed width) then 64 random bits, so ids sort by
 * creation time and the history's msgid index grows at one end (half the insert cost of
 * random UUIDs).
 */
export function newMsgid(now = Date.now()): string {
  return now.toString(36).padStart(9, "0") + randomUUID().replaceAll("-", "").slice(0, 16);
}
