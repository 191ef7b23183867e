import readline from "node:readline";
import type { Connection, Transport } from "./connection.js";
import { parseMessage } from "@netlab/irc-protocol";
import { ERR_NOMOTD } from "./numerics.js";
import type { ChatServer } from "./server.js";

export interface ConsoleOptions {
  nick?: string;
  channel?: string;
  input?: NodeJS.ReadableStream;
  /** Where what happens is shown; stderr by default, so stdout stays JSON logs. */
  print?: (line: string) => void;
}

/** One IRC line as the console shows it, or undefined for lines it does not show. */
export function describeLine(line: string): string | undefined {
  const message = parseMessage(line);
  if (!message) return undefined;
  const nick = (message.prefix ?? "").split("!")[0] ?? "";
  const [first = "", second = ""] = message.params;
  switch (message.command) {
    case "PRIVMSG":
      return first.startsWith("#") || first.startsWith("&") ? `[${first}] <${nick}> ${second}` : `*${nick}* ${second}`;
    case "NOTICE":
      return `-${nick}- ${second}`;
    case "JOIN":
      return `* ${nick} joined ${first}`;
    case "PART":
      return `* ${nick} left ${first}${second ? ` (${second})` : ""}`;
    case "QUIT":
      return `* ${nick} quit (${first})`;
    case "KICK":
      return `* ${first}: ${second} was kicked by ${nick}`;
    case "NICK":
      return `* ${nick} is now ${first}`;
    case "TOPIC":
      return `* ${nick} set the topic of ${first}: ${second}`;
    default:
      // Error numerics (4xx, 5xx) are worth showing; the rest is protocol chatter.
      return /^[45]\d\d$/.test(message.command) && message.command !== ERR_NOMOTD.code ? `! ${message.params.slice(1).join(" ")}` : undefined;
  }
}

/**
 * Makes the terminal that runs the daemon a participant: it sees its channels, what it
 * types goes to the channel (or `/msg nick text`, `/join #x`), as in the original lab.
 */
export function attachConsole(server: ChatServer, options: ConsoleOptions = {}): { client: Connection; close: () => void } {
  const print = options.print ?? ((line: string) => process.stderr.write(line + "\n"));
  const channel = options.channel ?? "#lobby";
  let pending = "";
  const transport: Transport = {
    write(data) {
      pending += data.toString("utf8");
      let end: number;
      while ((end = pending.indexOf("\r\n")) >= 0) {
        const shown = describeLine(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (shown !== undefined) print(shown);
      }
    },
    pendingBytes: () => 0,
    pause: () => {},
    end: () => {},
    destroy: () => {},
  };
  const client = server.addClient(transport, "console");
  const run = (line: string): void => server.dispatch(client, line);
  run(`NICK ${options.nick ?? "operator"}`);
  run("USER console 0 * :Operator console");
  run(`JOIN ${channel}`);
  const input = readline.createInterface({ input: options.input ?? process.stdin, terminal: false });
  input.on("line", (line) => {
    const text = line.replace(/[\r\n\0]/g, "");
    if (!text) return;
    const msg = /^\/msg (\S+) (.+)$/.exec(text);
    const join = /^\/join (\S+)$/.exec(text);
    if (msg) run(`PRIVMSG ${msg[1]} :${msg[2]}`);
    else if (join) run(`JOIN ${join[1]}`);
    else run(`PRIVMSG ${channel} :${text}`);
  });
  return { client, close: () => input.close() };
}
