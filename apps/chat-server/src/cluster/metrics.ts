import { Gauge, type Registry } from "prom-client";
import { registerTotal } from "../metrics.js";

/** Counters behind the cluster metrics. */
export interface ClusterStats {
  up: boolean;
  outages: number;
  published: number;
  received: number;
  /** Events not sent because Redis was away. */
  dropped: number;
  nodesLost: number;
  nickCollisions: number;
}

/** Registers the cluster's metrics; values are read from its counters when scraped. */
export function registerClusterMetrics(registry: Registry, cluster: { readonly stats: ClusterStats; remoteUsers(): number }): void {
  const registers = [registry];
  new Gauge({
    name: "chat_cluster_redis_up",
    help: "1 while this node is connected to Redis and in the cluster",
    registers,
    collect() {
      this.set(cluster.stats.up ? 1 : 0);
    },
  });
  new Gauge({
    name: "chat_cluster_remote_users",
    help: "Users connected to other nodes of the cluster",
    registers,
    collect() {
      this.set(cluster.remoteUsers());
    },
  });
  const totals = (name: string, help: string, read: () => number): void => registerTotal(registry, name, help, read);
  totals("chat_cluster_redis_outages_total", "Times the connection to Redis was lost", () => cluster.stats.outages);
  totals("chat_cluster_events_published_total", "Events this node published to the others", () => cluster.stats.published);
  totals("chat_cluster_events_received_total", "Events received from other nodes", () => cluster.stats.received);
  totals("chat_cluster_events_dropped_total", "Events not published because Redis was away", () => cluster.stats.dropped);
  totals("chat_cluster_nodes_lost_total", "Nodes found lost (lease expired)", () => cluster.stats.nodesLost);
  totals("chat_cluster_nick_collisions_total", "Local users renamed because their nick went to another node during an outage", () => cluster.stats.nickCollisions);
}
