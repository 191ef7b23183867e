import { expect, test } from "vitest";
import { createDaemonMetrics, startMetricsServer } from "../src/index.js";

test("serves the daemon's own registry on /metrics and health on /healthz", async () => {
  const metrics = createDaemonMetrics({ prefix: "demo" });
  metrics.connectionsRefused.inc({ protocol: "tcp", reason: "max-connections" });
  metrics.bytes.inc({ protocol: "tcp", direction: "in" }, 42);
  let healthy = true;
  const server = await startMetricsServer({ source: metrics.registry, port: 0, healthy: () => healthy });
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('demo_connections_refused_total{protocol="tcp",reason="max-connections"} 1');
    expect(text).toContain('demo_bytes_total{protocol="tcp",direction="in"} 42');
    expect(text).toContain("demo_process_resident_memory_bytes");
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    healthy = false;
    const draining = await fetch(`${base}/healthz`);
    expect(draining.status).toBe(503);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  } finally {
    await server.close();
  }
});

test("two daemons in one process keep separate registries", async () => {
  const a = createDaemonMetrics({ prefix: "same", defaultMetrics: false });
  const b = createDaemonMetrics({ prefix: "same", defaultMetrics: false });
  a.connectionsTotal.inc({ protocol: "tcp" });
  expect(await b.registry.getSingleMetricAsString("same_connections_total")).not.toContain("} 1");
  expect(await a.registry.getSingleMetricAsString("same_connections_total")).toContain('same_connections_total{protocol="tcp"} 1');
});

test("onCollect hooks run before each scrape, so tallies kept in plain numbers show up", async () => {
  const metrics = createDaemonMetrics({ prefix: "hook", defaultMetrics: false });
  let pending = 0;
  metrics.onCollect(() => {
    metrics.bytes.inc({ protocol: "tcp", direction: "in" }, pending);
    pending = 0;
  });
  pending += 100;
  expect(await metrics.registry.metrics()).toContain('hook_bytes_total{protocol="tcp",direction="in"} 100');
  pending += 5;
  expect(await metrics.registry.metrics()).toContain('hook_bytes_total{protocol="tcp",direction="in"} 105');
});
