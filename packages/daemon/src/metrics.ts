import { Counter, Gauge, Registry } from "prom-client";
import { registerProcessMetrics } from "./process-metrics.js";

export interface DaemonMetricsOptions {
  /** Metric name prefix, e.g. "echo_server" gives echo_server_connections_open. */
  prefix: string;
  /** Also collect Node process metrics (CPU, memory, open fds, event loop lag); default true. */
  defaultMetrics?: boolean;
}

/** The metrics every daemon keeps, in a registry of its own (never prom-client's global one). */
export interface DaemonMetrics {
  registry: Registry;
  /** Connections open now, by protocol. */
  connectionsOpen: Gauge<"protocol">;
  /** Connections accepted since start, by protocol. */
  connectionsTotal: Counter<"protocol">;
  /** Connections refused by a limit, by protocol and reason (max-connections, max-per-address...). */
  connectionsRefused: Counter<"protocol" | "reason">;
  /** Connections closed by the daemon for a limit it enforces (idle-timeout, max-bytes, max-line...). */
  connectionsClosed: Counter<"protocol" | "reason">;
  /** Messages or datagrams dropped, by protocol and reason (rate-limit, loop-port...). */
  dropped: Counter<"protocol" | "reason">;
  /** Payload bytes, by protocol and direction (in, out). */
  bytes: Counter<"protocol" | "direction">;
  /**
   * Runs hook before every scrape, so a hot path can keep plain-number tallies and add them to
   * the counters here (a labelled inc costs about half a microsecond).
   */
  onCollect(hook: () => void): void;
}

export function createDaemonMetrics(options: DaemonMetricsOptions): DaemonMetrics {
  const registry = new Registry();
  const p = options.prefix;
  if (options.defaultMetrics ?? true) registerProcessMetrics(registry, p);
  const registers = [registry];
  const hooks: (() => void)[] = [];
  return {
    registry,
    connectionsOpen: new Gauge({ name: `${p}_connections_open`, help: "Connections open now", labelNames: ["protocol"], registers }),
    connectionsTotal: new Counter({ name: `${p}_connections_total`, help: "Connections accepted", labelNames: ["protocol"], registers }),
    connectionsRefused: new Counter({
      name: `${p}_connections_refused_total`,
      help: "Connections refused by a limit",
      labelNames: ["protocol", "reason"],
      registers,
    }),
    connectionsClosed: new Counter({
      name: `${p}_connections_closed_total`,
      help: "Connections closed by the daemon for a limit",
      labelNames: ["protocol", "reason"],
      registers,
    }),
    dropped: new Counter({ name: `${p}_dropped_total`, help: "Messages or datagrams dropped", labelNames: ["protocol", "reason"], registers }),
    bytes: new Counter({
      name: `${p}_bytes_total`,
      help: "Payload bytes",
      labelNames: ["protocol", "direction"],
      registers,
      collect: () => {
        for (const hook of hooks) hook();
      },
    }),
    onCollect: (hook) => {
      hooks.push(hook);
    },
  };
}
