import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { fail } from "./standard-replies.js";

const timestampPattern = /^timestamp=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)$/;

/**
 * The time of a `timestamp=` parameter in server-time form (milliseconds, Z), the form every
 * marker is kept and sent in; undefined unless it is a real UTC time. Date.parse rolls over
 * (February 30 is March 2, 24:00 the next day), so the date and time must come back as written.
 */
function parseTimestamp(value: string): string | undefined {
  const text = timestampPattern.exec(value)?.[1];
  const ms = text === undefined ? NaN : Date.parse(text);
  if (text === undefined || !Number.isFinite(ms)) return undefined;
  const normal = new Date(ms).toISOString();
  return normal.slice(0, 19) === text.slice(0, 19) ? normal : undefined;
}

function markread(context: CommandContext, connection: Connection, target: string, timestamp: string | undefined): void {
  if (connection.caps & Cap.readMarker) context.sendFromServer(connection, "MARKREAD", target, timestamp === undefined ? "*" : `timestamp=${timestamp}`);
}

/** MARKREAD for each target (after a JOIN, or to a returning device), in one answer that waits for the store. */
export function sendMarkers(context: CommandContext, connection: Connection, targets: readonly string[], then?: () => void): void {
  if (!(connection.caps & Cap.readMarker) || targets.length === 0) return then?.();
  const { user } = connection;
  context.hold(
    connection,
    Promise.all(targets.map((target) => context.markers.get(user, target))),
    (stamps) => {
      targets.forEach((target, i) => markread(context, connection, target, stamps[i]));
      then?.();
    },
    (error: unknown) => {
      context.logger.error({ err: error }, "read marker lookup failed");
      then?.();
    },
  );
}

/** MARKREAD target [timestamp=T] (draft/read-marker): asks for the marker, or moves it forward and tells every device. */
const MARKREAD: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const [target, value] = params;
    if (!target) return fail(context, connection, "MARKREAD", "NEED_MORE_PARAMS", [], "Missing parameters");
    if (value === undefined) return sendMarkers(context, connection, [target]);
    const timestamp = parseTimestamp(value);
    if (timestamp === undefined) return fail(context, connection, "MARKREAD", "INVALID_PARAMS", [target], "Invalid timestamp");
    const { user } = connection;
    context.hold(
      connection,
      context.markers.set(user, target, timestamp),
      (stored) => {
        // Every device of the user that understands read markers, this one included.
        for (const session of user.sessions) if (session.caps & Cap.readMarker) session.send(`:${context.server.name} MARKREAD ${target} timestamp=${stored}\r\n`);
      },
      (error: unknown) => {
        context.logger.error({ err: error }, "read marker update failed");
        fail(context, connection, "MARKREAD", "INTERNAL_ERROR", [target], "Could not store the read marker");
      },
    );
  },
};

export const readMarkerCommands = { MARKREAD };
