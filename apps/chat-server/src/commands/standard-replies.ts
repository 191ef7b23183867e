import { formatMessage } from "@netlab/irc-protocol";
import type { Connection } from "../connection.js";
import type { CommandContext } from "./context.js";

/** The kinds of standard reply (IRCv3 standard-replies): the command failed, a warning, or information. */
export type StandardReplyType = "FAIL" | "WARN" | "NOTE";

/** A context parameter that cannot be written as one word (empty, a space, a leading colon) is sent as `*`. */
function word(param: string): string {
  return param === "" || param.includes(" ") || param.startsWith(":") ? "*" : param;
}

/**
 * Sends `:server TYPE COMMAND CODE [context...] :description`: command is the one the reply is
 * about (`*` for none in particular), code a machine-readable UPPER_CASE word, about the
 * context parameters, description text for people.
 */
export function standardReply(context: CommandContext, connection: Connection, type: StandardReplyType, command: string, code: string, about: readonly string[], description: string): void {
  const params = [command, code, ...about.map(word), description];
  connection.send(formatMessage({ prefix: context.server.name, command: type, params }, true) + "\r\n");
}

/** FAIL: the command could not be done. */
export function fail(context: CommandContext, connection: Connection, command: string, code: string, about: readonly string[], description: string): void {
  standardReply(context, connection, "FAIL", command, code, about, description);
}

/** WARN: the command was done, with something the client should know. */
export function warn(context: CommandContext, connection: Connection, command: string, code: string, about: readonly string[], description: string): void {
  standardReply(context, connection, "WARN", command, code, about, description);
}

/** NOTE: information about the command or the session. */
export function note(context: CommandContext, connection: Connection, command: string, code: string, about: readonly string[], description: string): void {
  standardReply(context, connection, "NOTE", command, code, about, description);
}
