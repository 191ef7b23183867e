import { expect, test } from "vitest";
import { createDaemonMetrics } from "../src/index.js";

function value(text: string, metric: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${metric} `));
  if (!line) throw new Error(`${metric} missing from:\n${text}`);
  return Number(line.split(" ")[1]);
}

// Blocks the loop until this process has used ms of CPU (at least ms of wall time, however busy the machine).
function busy(ms: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user + process.cpuUsage(start).system < ms * 1000);
}

test("process metrics carry prom-client's default names and real values, read at scrape time", async () => {
  const metrics = createDaemonMetrics({ prefix: "p" });
  const first = await metrics.registry.metrics();
  expect(value(first, "p_process_resident_memory_bytes")).toBeGreaterThan(1 << 20);
  expect(value(first, "p_nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  expect(value(first, "p_process_open_fds")).toBeGreaterThan(2);
  // Counted from the process's start, as prom-client does: the CPU this test file used before is in it.
  expect(value(first, "p_process_cpu_seconds_total")).toBeCloseTo((process.cpuUsage().user + process.cpuUsage().system) / 1e6, 1);
  expect(value(first, "p_process_start_time_seconds")).toBeCloseTo(Date.now() / 1000 - process.uptime(), -1);
  expect(first).toMatch(/p_nodejs_version_info\{version="v\d+\.\d+\.\d+",major="\d+"/);

  const cpuBefore = value(first, "p_process_cpu_seconds_total");
  // The sampler measures from its first tick on: let it tick before blocking the loop.
  await new Promise((resolve) => setTimeout(resolve, 40));
  busy(120);
  // Let the 10 ms sampler see the blocked loop.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const second = await metrics.registry.metrics();
  const cpu = value(second, "p_process_cpu_seconds_total");
  expect(cpu - cpuBefore).toBeGreaterThan(0.08);
  expect(value(second, "p_process_cpu_user_seconds_total") + value(second, "p_process_cpu_system_seconds_total")).toBeCloseTo(cpu, 2);
  // The loop was blocked for 120 ms: the lag (beyond the 10 ms sampling interval) shows it.
  expect(value(second, "p_nodejs_eventloop_lag_max_seconds")).toBeGreaterThan(0.08);
  // Each scrape reports the delays since the previous one.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(value(await metrics.registry.metrics(), "p_nodejs_eventloop_lag_max_seconds")).toBeLessThan(0.08);
});

test("no GC observer: nodejs_gc_duration_seconds is left out (it cost echo-server p99)", async () => {
  const text = await createDaemonMetrics({ prefix: "g" }).registry.metrics();
  expect(text).not.toContain("gc_duration");
  expect(text).toContain("g_process_cpu_seconds_total");
});
