import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { partyOf, type HistoryEntry } from "../history.js";
import type { User } from "../state/model.js";
import { replayLine } from "./batch.js";
import { sendNames, sendTopic } from "./channels.js";
import type { CommandContext } from "./context.js";
import { sendMarkers } from "./read-marker.js";
import { sendWelcome } from "./welcome.js";

/**
 * Registration of a connection logged into an account whose user is already here: the
 * connection becomes one more device of that user (one nick, one presence). It gets the
 * welcome, the user's channels as if it had just joined them and, when the user had no
 * device, what was said to it meanwhile.
 */
export function joinAccountUser(context: CommandContext, connection: Connection, user: User): void {
  const missedSince = user.awaySince;
  context.network.moveSession(connection.user, user, connection);
  connection.movedTo(user);
  context.registered(connection);
  welcomeDevice(context, connection, missedSince);
}

/** What a new device of a user gets: the welcome, the user's channels, read markers, and what it missed since missedSince (0: nothing). */
export function welcomeDevice(context: CommandContext, connection: Connection, missedSince: number): void {
  const { user } = connection;
  sendWelcome(context, connection);
  for (const channel of user.channels) {
    connection.send(`:${user.mask} JOIN ${channel.name}\r\n`);
    if (channel.topic) sendTopic(context, connection, channel);
    sendNames(context, connection, channel);
  }
  sendMarkers(context, connection, [...user.channels].map((channel) => channel.name));
  if (missedSince > 0) replayMissed(context, connection, missedSince);
}

/** Most lines replayed to a returning device that cannot ask with CHATHISTORY. */
export const replayLimit = 1000;

/**
 * What an always-on user's channels and private conversations got since `since`, in order,
 * to a device without draft/chathistory (one with it asks for what it wants).
 */
export function replayMissed(context: CommandContext, connection: Connection, since: number): void {
  const { history } = context;
  if (!history.enabled || connection.caps & Cap.chathistory) return;
  const { user } = connection;
  const after = { time: since, seq: Number.MAX_SAFE_INTEGER };
  const work = (async (): Promise<HistoryEntry[]> => {
    const keys = [...user.channels].map((channel) => channel.folded);
    const privates = await history.targets(partyOf(user.nick, user.account), [], since, Date.now() + 1, replayLimit);
    keys.push(...privates.map((target) => target.key));
    const pages = await Promise.all(keys.map((key) => history.range(key, { after, limit: replayLimit, from: "start" })));
    return pages
      .flat()
      // Time, then msgid (which sorts by creation): messages of one millisecond keep their order across conversations.
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.msgid < b.msgid ? -1 : a.msgid > b.msgid ? 1 : 0))
      .slice(0, replayLimit);
  })();
  context.later(
    connection,
    work,
    (entries) => {
      for (const entry of entries) connection.send(replayLine(entry).lineFor(connection.caps));
    },
    (error: unknown) => context.logger.error({ err: error }, "replay of missed messages failed"),
  );
}
