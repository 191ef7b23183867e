import type { Logger } from "@netlab/daemon";
import type { Accounts } from "./accounts/accounts.js";
import { formatMessage } from "@netlab/irc-protocol";
import type { CommandContext, ServerInfo } from "./commands/context.js";
import type { Connection } from "./connection.js";
import type { HistoryReader } from "./history.js";
import type { MonitorRegistry } from "./monitor.js";
import type { ChatLimits } from "./options.js";
import type { Claims } from "./state/claims.js";
import type { ReadMarkers } from "./read-markers.js";
import type { User } from "./state/model.js";
import type { Network } from "./state/network.js";

/** What a command context is made of: the server's parts, and what it does about connections. */
export interface CommandContextParts {
  server: ServerInfo;
  limits: ChatLimits;
  network: Network;
  history: HistoryReader;
  logger: Logger;
  claims: Claims | undefined;
  accounts: Accounts | undefined;
  markers: ReadMarkers;
  presence: CommandContext["presence"];
  connections: ReadonlySet<Connection>;
  monitors: MonitorRegistry;
  relayDevice(connection: Connection, user: User): boolean;
  nickTaken(user: User): void;
  /** Runs a held connection's queued commands again. */
  resume(connection: Connection): void;
  /** A connection finished registration (after its user was marked registered). */
  registered(connection: Connection): void;
  disconnect(connection: Connection, reason: string, options?: { quitMessage?: string }): void;
  limitHit(kind: string, connection?: Connection): void;
}

/** The context commands run in: replies formatted for the caller, claims that hold its next commands, registration. */
export function createCommandContext(parts: CommandContextParts): CommandContext {
  const { server } = parts;
  const sendFromServer = (connection: Connection, command: string, ...params: string[]): void => {
    connection.send(formatMessage({ prefix: server.name, command, params }) + "\r\n");
  };
  /** Answers part of a command once work settles, inside its labeled response if it has one; then runs after (the held connection's next commands). */
  const later = <T>(connection: Connection, work: Promise<T>, then: (value: T) => void, failed: (error: unknown) => void, after?: () => void): void => {
    const response = connection.gathering;
    response?.wait();
    const answer = (part: () => void): void => {
      try {
        if (response) response.within(part);
        else part();
      } finally {
        response?.done();
        after?.();
      }
    };
    work.then(
      (value) => answer(() => then(value)),
      (error: unknown) => answer(() => failed(error)),
    );
  };
  return {
    server,
    limits: parts.limits,
    network: parts.network,
    history: parts.history,
    logger: parts.logger,
    claims: parts.claims,
    accounts: parts.accounts,
    markers: parts.markers,
    presence: parts.presence,
    connections: parts.connections,
    monitors: parts.monitors,
    reply(connection, numeric, ...params) {
      const all = numeric.text === undefined ? params : [...params, numeric.text];
      connection.send(formatMessage({ prefix: server.name, command: numeric.code, params: [connection.nick, ...all] }, !numeric.token) + "\r\n");
    },
    sendFromServer,
    hold(connection, work, then, failed) {
      connection.held = true;
      const release = (): void => {
        connection.held = false;
        parts.resume(connection);
      };
      later(
        connection,
        work,
        (value) => {
          connection.held = false;
          if (!connection.closing) then(value);
        },
        (error: unknown) => {
          connection.held = false;
          if (failed && !connection.closing) failed(error);
          else parts.logger.error({ err: error }, "held command failed");
        },
        release,
      );
    },
    later: (connection, work, then, failed) => later(connection, work, then, failed),
    login(connection, login) {
      connection.login = login;
      if (connection.registered) parts.network.login(connection.user, login.account, login.alwaysOn);
    },
    relayDevice: (connection, user) => parts.relayDevice(connection, user),
    nickTaken: (user) => parts.nickTaken(user),
    logout(connection) {
      connection.login = undefined;
      if (connection.registered) parts.network.login(connection.user, undefined);
    },
    registered(connection) {
      parts.network.register(connection.user);
      parts.logger.debug({ id: connection.id, nick: connection.nick, ip: connection.ip }, "registered");
      parts.registered(connection);
    },
    disconnect: (connection, reason, options) => parts.disconnect(connection, reason, options),
    limitHit: (kind, connection) => parts.limitHit(kind, connection),
  };
}
