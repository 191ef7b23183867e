// The scale bench's sizes: small by default so a run takes a few minutes, the sizes with --full.
import { parseArgs } from "node:util";

export type Scenario = "one-node" | "channel" | "cluster";

export interface ScaleOptions {
  full: boolean;
  only: Scenario[];
  peers: boolean;
  idleClients: number;
  registerRate: number;
  channelSize: number;
  senders: number;
  sendRate: number;
  seconds: number;
  nodes: number;
  /** Processes per cluster node (chat-server --workers): one process may hold under 20,000 clients. */
  workers: number;
  clusterClients: number;
  clusterChannels: number;
  clusterSenders: number;
  clusterSendRate: number;
  leaseMs: number;
  deadlineMinutes: number;
}

export const usage = `node dist-bench/scale.js [--full] [--only one-node,channel,cluster] [--no-peers]
  [--idle-clients N] [--register-rate N] [--channel-size N] [--senders N] [--send-rate N] [--seconds N]
  [--nodes N] [--workers N] [--cluster-clients N] [--cluster-channels N] [--cluster-senders N] [--cluster-send-rate N] [--lease-ms N]
  [--deadline-minutes N]
--full (or SCALE_FULL=1): 19,000 idle clients; 3 nodes of 2 processes each (--workers 2) holding 100,000 clients.`;

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number: ${value}`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const names = ["idle-clients", "register-rate", "channel-size", "senders", "send-rate", "seconds", "nodes", "workers", "cluster-clients", "cluster-channels", "cluster-senders", "cluster-send-rate", "lease-ms", "deadline-minutes"] as const;
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: "boolean" },
      only: { type: "string" },
      "no-peers": { type: "boolean" },
      ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
    },
    strict: true,
  });
  const text = values as Record<string, string | boolean | undefined>;
  const get = (name: (typeof names)[number], fallback: number): number => positive(text[name] as string | undefined, fallback, name);
  const full = values.full === true || env.SCALE_FULL === "1";
  const only = (values.only ?? "one-node,channel,cluster").split(",").map((name) => name.trim());
  for (const name of only) if (!["one-node", "channel", "cluster"].includes(name)) throw new RangeError(`--only: no scenario ${name}`);
  const clusterChannels = get("cluster-channels", full ? 10 : 3);
  return {
    full,
    only: only as Scenario[],
    peers: values["no-peers"] !== true,
    idleClients: get("idle-clients", full ? 19_000 : 10_000),
    registerRate: get("register-rate", 3_000),
    channelSize: get("channel-size", 2_000),
    senders: get("senders", 10),
    // 10 x 5 msg/s to 2,000 members is 100,000 deliveries/s, about what the load workers on one core can read.
    sendRate: get("send-rate", 5),
    seconds: get("seconds", 5),
    nodes: get("nodes", 3),
    workers: get("workers", full ? 2 : 1),
    clusterClients: get("cluster-clients", full ? 100_000 : 12_000),
    clusterChannels,
    clusterSenders: get("cluster-senders", 2 * clusterChannels),
    clusterSendRate: get("cluster-send-rate", 5),
    leaseMs: get("lease-ms", 5_000),
    deadlineMinutes: get("deadline-minutes", full ? 45 : 12),
  };
}
