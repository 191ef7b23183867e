import { expect, test } from "vitest";
import { DeadlineTimer } from "../src/deadline-timer.js";

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

test("deadlines of several durations expire in time order, each after its own duration", async () => {
  const timer = new DeadlineTimer();
  const started = performance.now();
  const fired: { name: string; at: number }[] = [];
  const add = (name: string, ms: number): void => {
    timer.add(ms, () => fired.push({ name, at: performance.now() - started }));
  };
  add("a150", 150);
  add("b60", 60);
  add("c150", 150);
  add("d20", 20);
  await sleep(260);
  expect(fired.map(({ name }) => name)).toEqual(["d20", "b60", "a150", "c150"]);
  const due = { a150: 150, b60: 60, c150: 150, d20: 20 } as Record<string, number>;
  for (const { name, at } of fired) {
    expect(at).toBeGreaterThanOrEqual((due[name] ?? 0) - 1);
    expect(at).toBeLessThan((due[name] ?? 0) + 60);
  }
});

test("a cancelled deadline never fires; the others still do", async () => {
  const timer = new DeadlineTimer();
  const fired: number[] = [];
  const entries = Array.from({ length: 3000 }, (_, i) => timer.add(50, () => fired.push(i)));
  // Cancel all but a few, mostly from the head, as answers arriving in order do.
  entries.forEach((entry, i) => {
    if (i % 1000 !== 999) timer.cancel(entry);
  });
  await sleep(120);
  expect(fired).toEqual([999, 1999, 2999]);
});

test("a deadline added after the timer went idle still fires", async () => {
  const timer = new DeadlineTimer();
  const fired: string[] = [];
  timer.add(10, () => fired.push("first"));
  await sleep(40);
  timer.add(10, () => fired.push("second"));
  await sleep(40);
  expect(fired).toEqual(["first", "second"]);
});
