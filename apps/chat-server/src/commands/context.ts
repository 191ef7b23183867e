import type { Logger } from "@netlab/daemon";
import type { Accounts } from "../accounts/accounts.js";
import type { LoggedIn } from "../accounts/logged-in.js";
import type { Connection } from "../connection.js";
import type { HistoryReader } from "../history.js";
import type { MonitorRegistry } from "../monitor.js";
import type { Numeric } from "../numerics.js";
import type { ChatLimits } from "../options.js";
import type { Claims } from "../state/claims.js";
import type { ReadMarkers } from "../read-markers.js";
import type { User } from "../state/model.js";
import type { Network } from "../state/network.js";
import type { UserPeaks } from "../user-counts.js";

/** What commands know of the server they run in. */
export interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly createdAt: Date;
  /** Server password that PASS must match. */
  readonly password: string | undefined;
  /** Operator names and their passwords, for OPER. */
  readonly opers: Readonly<Record<string, string>>;
  readonly motd: readonly string[];
  /** Lines of a channel's history replayed on JOIN to clients without draft/chathistory. */
  readonly autoreplayLines: number;
  /** UTF8ONLY: lines that are not UTF-8 are refused (FAIL INVALID_UTF8) instead of repaired. */
  readonly utf8Only: boolean;
  /** The server NickServ and ChanServ appear to be on (their host; LINKS lists it when accounts are on). */
  readonly servicesName: string;
  /** One line about this server, for LINKS and ADMIN. */
  readonly description: string;
  /** ADMIN's location and contact address, when configured. */
  readonly admin: { readonly location?: string; readonly email?: string };
  /** Most users at once since start, here and on the network (LUSERS 265/266). */
  readonly peaks: UserPeaks;
}

/** Everything a command may use: the network state's operations, replies to the caller, history, limits, a logger. */
export interface CommandContext {
  readonly server: ServerInfo;
  readonly limits: ChatLimits;
  readonly network: Network;
  readonly history: HistoryReader;
  readonly logger: Logger;
  /** Accounts (registration, logins), when the server keeps them. */
  readonly accounts: Accounts | undefined;
  /** Always-on users' stored presence, when the server keeps accounts. */
  readonly presence: { restore(account: string): Promise<User | undefined> } | undefined;
  /** Read markers (draft/read-marker), per account or, without one, per user. */
  readonly markers: ReadMarkers;
  /** Network-wide claims of nicks and new channels (cluster mode); undefined on a server alone. */
  readonly claims: Claims | undefined;
  /** This node's connections, registered or not. */
  readonly connections: ReadonlySet<Connection>;
  /** MONITOR lists: who on this node watches which nicks. */
  readonly monitors: MonitorRegistry;
  /** Sends a numeric reply: `:server CODE nick params... [:text]`. */
  reply(connection: Connection, numeric: Numeric, ...params: string[]): void;
  /** Sends a message from the server itself (NOTICE, PONG, ...). */
  sendFromServer(connection: Connection, command: string, ...params: string[]): void;
  /** Holds the connection's next commands until work settles, then runs then (unless it closed meanwhile). */
  hold<T>(connection: Connection, work: Promise<T>, then: (value: T) => void, failed?: (error: unknown) => void): void;
  /** Runs then with work's value once it settles (failed if it fails), as part of the reply to the command running now: a labeled response waits for it. */
  later<T>(connection: Connection, work: Promise<T>, then: (value: T) => void, failed: (error: unknown) => void): void;
  /** The connection logged into an account (SASL, NickServ): its user takes it now, or at registration. */
  login(connection: Connection, login: LoggedIn): void;
  /** Cluster mode: the connection becomes a device of user, of another node, which runs it from now on; false without a cluster. */
  relayDevice(connection: Connection, user: User): boolean;
  /** A local registered user now goes by its nick: one registered to another account must be logged into, or is taken back. */
  nickTaken(user: User): void;
  /** The connection's user logs out (NickServ LOGOUT, DROP). */
  logout(connection: Connection): void;
  /** Registration is complete: marks the user registered. */
  registered(connection: Connection): void;
  /** Closes a connection; its user quits with quitMessage (reason by default) once it has no other. */
  disconnect(connection: Connection, reason: string, options?: { quitMessage?: string }): void;
  /** Counts a limit being hit, for logs and metrics. */
  limitHit(kind: string, connection?: Connection): void;
}
