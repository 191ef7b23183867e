import type { Connection } from "../connection.js";
import { ERR_HELPNOTFOUND, RPL_ENDOFHELP, RPL_HELPSTART, RPL_HELPTXT } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { helpTexts } from "./help-texts.js";

/** Topics named on one line of the index. */
const topicsPerLine = 10;

/** HELP alone: how to ask, and every topic there is help for. */
const index: readonly string[] = (() => {
  const topics = [...helpTexts.keys()].sort();
  const lines = ["Commands this server knows; HELP <command> tells more about one:", ""];
  for (let i = 0; i < topics.length; i += topicsPerLine) lines.push(topics.slice(i, i + topicsPerLine).join(" "));
  return lines;
})();

/** 704 with the first line, 705 with each other, 706 to close; or 524 for a topic without help. */
function help(context: CommandContext, connection: Connection, topic: string | undefined): void {
  const subject = topic ? topic.toUpperCase() : "*";
  const lines = topic ? helpTexts.get(subject) : index;
  if (!lines) return context.reply(connection, ERR_HELPNOTFOUND, topic ?? "*");
  const [first = subject, ...rest] = lines;
  context.reply(connection, RPL_HELPSTART, subject, first);
  for (const line of rest) context.reply(connection, RPL_HELPTXT, subject, line);
  context.reply(connection, RPL_ENDOFHELP, subject);
}

const HELP: Command = { minParams: 0, run: (context, connection, { params }) => help(context, connection, params[0]) };
// HELPOP is what some clients and habits send for the same thing.
const HELPOP: Command = { minParams: 0, run: (context, connection, { params }) => help(context, connection, params[0]) };

export const helpCommands = { HELP, HELPOP };
