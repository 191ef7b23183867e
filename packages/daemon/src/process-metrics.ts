import { readdirSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Counter, Gauge, type Registry } from "prom-client";

/**
 * Node process metrics under prom-client's default names, all read at scrape time. Unlike
 * prom-client's collectDefaultMetrics there is no GC duration histogram: its GC observer alone
 * raised echo-server's ping-pong p99 by a fifth to a third (apps/echo-server README).
 */
export function registerProcessMetrics(registry: Registry, prefix: string): void {
  const registers = [registry];
  const name = (metric: string): string => `${prefix}_${metric}`;

  // Each counter adds what its own CPU figure grew by since its last scrape.
  const cpuCounter = (metric: string, help: string, read: (usage: NodeJS.CpuUsage) => number): void => {
    let last = 0;
    new Counter({
      name: name(metric),
      help,
      registers,
      collect() {
        const now = read(process.cpuUsage());
        this.inc((now - last) / 1e6);
        last = now;
      },
    });
  };
  cpuCounter("process_cpu_user_seconds_total", "User CPU time spent in seconds", (usage) => usage.user);
  cpuCounter("process_cpu_system_seconds_total", "System CPU time spent in seconds", (usage) => usage.system);
  cpuCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds", (usage) => usage.user + usage.system);

  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  // Under --workers the primary sums each metric over the workers, except where an aggregator says otherwise.
  new Gauge({ name: name("process_start_time_seconds"), help: "Start time of the process since unix epoch in seconds", registers, aggregator: "min" }).set(startTime);

  const memoryGauge = (metric: string, help: string, read: (memory: NodeJS.MemoryUsage) => number): Gauge =>
    new Gauge({
      name: name(metric),
      help,
      registers,
      collect() {
        this.set(read(process.memoryUsage()));
      },
    });
  memoryGauge("process_resident_memory_bytes", "Resident memory size in bytes", (memory) => memory.rss);
  memoryGauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes", (memory) => memory.heapTotal);
  memoryGauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes", (memory) => memory.heapUsed);
  memoryGauge("nodejs_external_memory_bytes", "Node.js external memory size in bytes", (memory) => memory.external);

  new Gauge({
    name: name("process_open_fds"),
    help: "Number of open file descriptors",
    registers,
    collect() {
      // Linux only; elsewhere the gauge stays at 0.
      try {
        this.set(readdirSync("/proc/self/fd").length - 1);
      } catch {
        this.set(0);
      }
    },
  });

  new Gauge({
    name: name("nodejs_active_resources_total"),
    help: "Number of active resources keeping the event loop alive (handles, requests, timers)",
    registers,
    collect() {
      this.set(process.getActiveResourcesInfo().length);
    },
  });

  // A native timer every 10 ms samples the loop's delay; no JavaScript runs per sample. A sample
  // is the time between two ticks, so the lag is what exceeds the 10 ms interval.
  const resolutionNs = 10e6;
  const lag = (nanoseconds: number): number => Math.max(0, nanoseconds - resolutionNs) / 1e9;
  const delay = monitorEventLoopDelay({ resolution: resolutionNs / 1e6 });
  delay.enable();
  const lagGauge = (suffix: string, help: string, read: () => number): Gauge =>
    new Gauge({
      name: name(`nodejs_eventloop_lag_${suffix}_seconds`),
      help,
      registers,
      aggregator: "max",
      collect() {
        // With no sample yet the histogram's min is a huge sentinel: report 0.
        this.set(delay.count > 0 ? lag(read()) : 0);
      },
    });
  lagGauge("min", "The minimum recorded event loop delay", () => delay.min);
  lagGauge("mean", "The mean of the recorded event loop delays", () => delay.mean);
  lagGauge("p50", "The 50th percentile of the recorded event loop delays", () => delay.percentile(50));
  lagGauge("p99", "The 99th percentile of the recorded event loop delays", () => delay.percentile(99));
  new Gauge({
    name: name("nodejs_eventloop_lag_max_seconds"),
    help: "The maximum recorded event loop delay (since the last scrape)",
    registers,
    aggregator: "max",
    collect() {
      this.set(delay.count > 0 ? lag(delay.max) : 0);
      // Registered last, so read last: each scrape reports the delays since the one before.
      delay.reset();
    },
  });

  const [major = 0, minor = 0, patch = 0] = process.versions.node.split(".").map(Number);
  new Gauge({ name: name("nodejs_version_info"), help: "Node.js version info", labelNames: ["version", "major", "minor", "patch"], registers, aggregator: "first" }).set(
    { version: process.version, major, minor, patch },
    1,
  );
}
