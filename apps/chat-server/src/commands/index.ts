import { capCommands } from "./cap.js";
import { channelCommands } from "./channels.js";
import { historyCommands } from "./chathistory.js";
import type { Command } from "./command.js";
import { messageCommands } from "./messages.js";
import { modeCommands } from "./modes.js";
import { operatorCommands } from "./operators.js";
import { queryCommands } from "./queries.js";
import { registrationCommands } from "./registration.js";

/** Every command the server knows, by upper-case name. */
export const commands: ReadonlyMap<string, Command> = new Map(
  Object.entries({
    ...registrationCommands,
    ...capCommands,
    ...channelCommands,
    ...modeCommands,
    ...messageCommands,
    ...historyCommands,
    ...queryCommands,
    ...operatorCommands,
  }),
);
