import type { IrcMessage } from "@netlab/irc-protocol";
import type { Connection } from "../connection.js";
import type { CommandContext } from "./context.js";

/** One IRC command: how many parameters it needs, whether it works before registration, and what it does. */
export interface Command {
  minParams: number;
  beforeRegistration?: boolean;
  run(context: CommandContext, connection: Connection, message: IrcMessage): void;
}
