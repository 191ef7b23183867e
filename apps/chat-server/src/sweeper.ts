import type { Connection } from "./connection.js";
import type { ChatLimits } from "./options.js";

/** What the sweep does to a connection that timed out or went quiet. */
export interface SweepActions {
  disconnect(connection: Connection, reason: string): void;
  ping(connection: Connection): void;
}

/** Closes registration and ping timeouts; PINGs connections silent for pingIntervalMs. */
export function sweep(connections: Iterable<Connection>, limits: ChatLimits, actions: SweepActions, now = Date.now()): void {
  const { registrationTimeoutMs, pingIntervalMs, pingTimeoutMs } = limits;
  for (const connection of [...connections]) {
    // The console never times out; a relayed device's liveness is its user's node's to check.
    if (connection.ip === "console" || connection.relay) continue;
    if (!connection.registered) {
      if (now - connection.connectedAt > registrationTimeoutMs) actions.disconnect(connection, "Registration timeout");
    } else if (connection.pingSentAt) {
      if (now - connection.pingSentAt > pingTimeoutMs) {
        actions.disconnect(connection, `Ping timeout: ${Math.round((now - connection.lastActivity) / 1000)} seconds`);
      }
    } else if (now - connection.lastActivity > pingIntervalMs) {
      connection.pingSentAt = now;
      actions.ping(connection);
    }
  }
}

/** How often to sweep: often enough for the shortest timeout, at most every 5 s. */
export function sweepPeriodMs(limits: ChatLimits): number {
  const period = Math.min(limits.registrationTimeoutMs, limits.pingIntervalMs, limits.pingTimeoutMs) / 4;
  return Math.max(25, Math.min(period, 5_000));
}
