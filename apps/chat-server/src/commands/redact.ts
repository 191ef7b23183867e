import { foldCase } from "../casemap.js";
import { sourceNick, type HistoryEntry, type HistoryReader } from "../history.js";
import { isChannelName } from "../names.js";
import type { Channel, User } from "../state/model.js";
import { isChannel } from "../state/network.js";
import type { Command } from "./command.js";
import { privateKeyWith } from "./private-history.js";
import { fail } from "./standard-replies.js";

/** The stored message msgid of a conversation, if history still has it. */
async function storedMessage(history: HistoryReader, key: string, msgid: string): Promise<HistoryEntry | undefined> {
  const at = await history.find(key, msgid);
  if (!at) return undefined;
  const [entry] = await history.range(key, { after: { time: at.time, seq: at.seq - 1 }, limit: 1, from: "start" });
  return entry?.msgid === msgid ? entry : undefined;
}

/**
 * REDACT target msgid [:reason] (IRCv3 draft/message-redaction): the author of a stored
 * message, or an operator of its channel, takes it back; it leaves the history too.
 */
const REDACT: Command = {
  minParams: 2,
  run(context, connection, { params }) {
    const [name = "", msgid = "", reason] = params;
    const { user } = connection;
    let target: Channel | User | undefined;
    let key: Promise<string>;
    if (isChannelName(name)) {
      const channel = context.network.findChannel(name);
      target = channel?.members.has(user) ? channel : undefined;
      key = Promise.resolve(foldCase(name));
    } else {
      target = context.network.findUser(name);
      key = privateKeyWith(context, user, name);
    }
    if (!target) return fail(context, connection, "REDACT", "INVALID_TARGET", [name], "You cannot redact messages there");
    if (!context.history.enabled) return fail(context, connection, "REDACT", "UNKNOWN_MSGID", [name, msgid], "This message does not exist or is too old");
    context.hold(connection, key.then(async (found) => ({ key: found, entry: await storedMessage(context.history, found, msgid) })), ({ key: found, entry }) => {
      if (!entry) return fail(context, connection, "REDACT", "UNKNOWN_MSGID", [name, msgid], "This message does not exist or is too old");
      const own = foldCase(sourceNick(entry.source)) === foldCase(user.nick);
      const op = isChannel(target) && target.isOp(user);
      if (!own && !op) return fail(context, connection, "REDACT", "REDACT_FORBIDDEN", [name, msgid], "You may only redact your own messages");
      context.network.redact(user, connection, target, found, msgid, reason || undefined);
    });
  },
};

export const redactCommands = { REDACT };
