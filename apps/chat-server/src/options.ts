import type { DaemonMetrics, Logger } from "@netlab/daemon";
import type { AccountsOptions } from "./accounts/accounts.js";
import type { AccountStore } from "./accounts/store.js";
import type { ClusterFactory } from "./cluster/link.js";
import type { HistoryStore } from "./history.js";

/** Safety limits; every one has a CLI flag. */
export interface ChatLimits {
  /** Connections in total; 0 means no limit. */
  maxConnections: number;
  /** Connections from one address; 0 means no limit. */
  maxPerAddress: number;
  /** Time to finish NICK/USER before the connection is closed. */
  registrationTimeoutMs: number;
  /** Silence after which the server sends PING. */
  pingIntervalMs: number;
  /** Time to answer that PING. */
  pingTimeoutMs: number;
  /** Commands a client may send at once... */
  floodBurst: number;
  /** ...then this many per second; 0 turns flood control off. */
  floodRate: number;
  /** Output queued for a client that stops reading before it is disconnected. */
  sendQueueBytes: number;
  /** Channels one client may be on. */
  maxChannelsPerClient: number;
  /** Shortest time between two writes to a client; lines in between share one write. */
  flushIntervalMs: number;
}

export const defaultLimits: ChatLimits = {
  maxConnections: 10_000,
  maxPerAddress: 50,
  registrationTimeoutMs: 30_000,
  pingIntervalMs: 120_000,
  pingTimeoutMs: 60_000,
  floodBurst: 20,
  floodRate: 5,
  sendQueueBytes: 256 * 1024,
  maxChannelsPerClient: 50,
  flushIntervalMs: 5,
};

export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** 6697 by default. */
  port?: number;
}

/** IRC over WebSocket (IRCv3 websocket) and the web client, on a port of their own. */
export interface WebSocketOptions {
  /** 0 picks a free port. */
  port: number;
  /** The IRC listener's host by default. */
  host?: string;
  /** Page origins allowed to connect, e.g. `https://chat.example.org` (none: any; the server's own host always). */
  origins?: string[];
  /** Addresses of reverse proxies whose X-Forwarded-For header names the client. */
  trustedProxies?: string[];
  /** Directory of the web client's files, served at `/` (none: no page, only WebSocket). */
  webClient?: string;
}

export interface ChatServerOptions {
  /** Shown as the source of server messages; the host name by default. */
  serverName?: string;
  /** Loopback by default. */
  host?: string;
  /** 6667 by default; 0 picks a free port. */
  port?: number;
  tls?: TlsOptions;
  /** IRC over WebSocket and the web client; with tls, over HTTPS (wss:). */
  websocket?: WebSocketOptions;
  /** Server password that PASS must match. */
  password?: string;
  /** Operator names and their passwords, for OPER. */
  opers?: Record<string, string>;
  /** Lines of the message of the day; none gives 422. */
  motd?: string[];
  /** The name of the server NickServ and ChanServ appear on (`services.<serverName>` by default). */
  servicesName?: string;
  /** One line about this server, shown by LINKS and ADMIN ("netlab chat server" by default). */
  description?: string;
  /** ADMIN: where the server is and an address to write to its administrator. */
  admin?: { location?: string; email?: string };
  limits?: Partial<ChatLimits>;
  logger?: Logger;
  /** The daemon's metrics; chat metrics are added to its registry. */
  metrics?: DaemonMetrics;
  /** Where messages are stored before they are delivered (none by default); the server closes it on close(). */
  history?: HistoryStore;
  /** Lines of a channel's history replayed on JOIN to clients without draft/chathistory (10 by default; 0: none). */
  autoreplayLines?: number;
  /** UTF8ONLY (the default): lines that are not UTF-8 are refused; false: invalid bytes are replaced and the line goes on. */
  utf8Only?: boolean;
  /** Accounts (SASL, REGISTER, NickServ, always-on, read markers) kept in store, with settings beside the defaults; none by default. The server closes the store on close(). */
  accounts?: Partial<Omit<AccountsOptions, "store">> & { store: AccountStore };
  /** Cluster mode: several servers as one network, e.g. `redisCluster({ url, nodeId })` (one server alone by default). */
  cluster?: ClusterFactory;
}
