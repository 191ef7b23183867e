import type { Client } from "../client.js";
import type { IrcMessage } from "@netlab/irc-protocol";
import type { ChatServer } from "../server.js";

/** One IRC command: how many parameters it needs, whether it works before registration, and what it does. */
export interface Command {
  minParams: number;
  beforeRegistration?: boolean;
  run(server: ChatServer, client: Client, message: IrcMessage): void;
}
