import { accountRegistrationCommands } from "./account-registration.js";
import { capCommands } from "./cap.js";
import { chanservCommands } from "./chanserv.js";
import { channelCommands } from "./channels.js";
import { historyCommands } from "./chathistory.js";
import { identityCommands } from "./identity.js";
import type { Command } from "./command.js";
import { helpCommands } from "./help.js";
import { messageCommands } from "./messages.js";
import { modeCommands } from "./modes.js";
import { monitorCommands } from "./monitor.js";
import { nickservCommands } from "./nickserv.js";
import { operatorCommands } from "./operators.js";
import { queryCommands } from "./queries.js";
import { readMarkerCommands } from "./read-marker.js";
import { redactCommands } from "./redact.js";
import { registrationCommands } from "./registration.js";
import { saslCommands } from "./sasl.js";
import { serverInfoCommands } from "./server-info.js";

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
    ...identityCommands,
    ...redactCommands,
    ...monitorCommands,
    ...serverInfoCommands,
    ...helpCommands,
    ...saslCommands,
    ...accountRegistrationCommands,
    ...nickservCommands,
    ...chanservCommands,
    ...readMarkerCommands,
  }),
);
