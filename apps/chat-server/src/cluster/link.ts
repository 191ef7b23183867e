import type { Logger } from "@netlab/daemon";
import type { Registry } from "prom-client";
import type { HistoryStore } from "../history.js";
import type { Change } from "../state/changes.js";
import type { Claims } from "../state/claims.js";
import type { User } from "../state/model.js";
import type { Network } from "../state/network.js";

/** One side of a device relayed between nodes: what the other side sends it. */
export interface DeviceEnd {
  /** Bytes for the device's socket (on the device's node), or a line it sent (on its user's node). */
  take(data: Buffer | string): void;
  /** The other side closed it. */
  closed(reason: string): void;
}

/** The handle one side holds: what it sends to the other side. */
export interface DeviceLink {
  send(data: Buffer | string): void;
  close(reason?: string): void;
}

/** What a node's cluster link works with: the network state it applies the others' changes to. */
export interface ClusterHost {
  readonly network: Network;
  readonly logger: Logger;
  /** Where the link's metrics go (none without --metrics-port). */
  readonly registry: Registry | undefined;
  /** Tells a user of this node something from the server (a NOTICE). */
  notice(user: User, text: string): void;
  /**
   * A connection on another node logged into the account of local user (another device of
   * it): the host makes a connection whose output goes to link; undefined when the user is gone.
   */
  openDevice(user: User, ip: string, caps: number, link: DeviceLink): DeviceEnd | undefined;
  /** This node cleaned up after a lost node (its nicks are free): its always-on users may come back here. */
  nodeCleaned(): void;
}

/**
 * How a node takes part in a network of several (cluster mode): it claims names network-wide,
 * tells the others each change made here (delivery hands it every change once applied and
 * delivered locally), and applies theirs to the network state.
 */
export interface ClusterLink extends Claims {
  /** This node keeps the other nodes' messages in its own history too (history per node, e.g. SQLite). */
  readonly storesRemote: boolean;
  /** Connects; resolves once the network is joined, or after a short wait when Redis is down (it keeps trying). */
  start(): Promise<void>;
  /** Wraps the history store so that news leaves for other nodes only after the commit that stores its messages. */
  storedFirst(history: HistoryStore): HistoryStore;
  /** A change of the network state was applied and delivered here; those made here go to the other nodes. */
  changed(change: Change): void;
  /**
   * A connection here becomes a device of user, whose node runs it: what link sends goes
   * there as lines, what comes back reaches end.
   */
  relayDevice(user: User, ip: string, caps: number, end: DeviceEnd): DeviceLink;
  /** Leaves the network: releases this node's nicks and lease. */
  close(): Promise<void>;
}

/** Makes a server's cluster link (redisCluster(...) makes one). */
export interface ClusterFactory {
  /** This node's id in the network. */
  readonly nodeId: string;
  attach(host: ClusterHost): ClusterLink;
}
