const two = (n: number): string => String(n).padStart(2, "0");

/** `HH:MM` in local time: what the message list shows. */
export function formatClock(time: number): string {
  const date = new Date(time);
  return `${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The local calendar day of a time, `YYYY-MM-DD`: messages of one day share it. */
export function dayKey(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The full local date and time, for a tooltip. */
export function formatFullTime(time: number): string {
  return new Date(time).toLocaleString(undefined, { dateStyle: "full", timeStyle: "medium" });
}

/** "Today", "Yesterday" or the date: the heading of a day in the message list. */
export function dayLabel(time: number, now = Date.now()): string {
  const key = dayKey(time);
  if (key === dayKey(now)) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return "Yesterday";
  return new Date(time).toLocaleDateString(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
}
