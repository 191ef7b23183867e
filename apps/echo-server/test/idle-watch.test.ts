import { expect, test } from "vitest";
import { IdleWatch } from "../src/idle-watch.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test("fires once after 1 to 1.25 idle periods of silence, not while marked active", async () => {
  let fired = 0;
  let lastMark = 0;
  let firedAt = 0;
  const watch = new IdleWatch(200, () => {
    fired++;
    firedAt = performance.now();
  });
  // Marked active every 80 ms for over half a second: four 50 ms checks in a row never all miss it.
  for (let i = 0; i < 7; i++) {
    watch.active = true;
    lastMark = performance.now();
    await sleep(80);
  }
  expect(fired).toBe(0);
  await sleep(600);
  watch.stop();
  expect(fired).toBe(1);
  // Silent for the idle period, and closed within a quarter more (plus timer slack on a busy machine).
  expect(firedAt - lastMark).toBeGreaterThanOrEqual(200 - 5);
  expect(firedAt - lastMark).toBeLessThan(250 + 150);
});

test("a changing progress value counts as traffic (a slow reader draining the write queue)", async () => {
  let fired = 0;
  let queued = 1000;
  const watch = new IdleWatch(120, () => fired++, () => queued);
  const draining = setInterval(() => (queued -= 10), 20);
  await sleep(400);
  expect(fired).toBe(0);
  clearInterval(draining);
  await sleep(400);
  watch.stop();
  expect(fired).toBe(1);
});
