import readline from "node:readline";
import type { Connection, Transport } from "./connection.js";
import { parseMessage } from "@netlab/irc-protocol";
import { ERR_NOMOTD } from "./numerics.js";
import type { ChatServer } from "./server.js";

export interface ConsoleOptions {
  nick?: string;
  channel?: string;
  /** What is typed; stdin by default. */
  input?: NodeJS.ReadableStream;
  /** Where what happens is shown; stderr by default, so stdout stays JSON logs. */
  output?: NodeJS.WritableStream;
  /** A terminal: a prompt, lines shown above it, Ctrl-C shuts down. By default when input and output are TTYs. */
  terminal?: boolean;
  /** What Ctrl-C at the prompt does; by default SIGINT to this process: the daemon's graceful shutdown. */
  interrupt?: () => void;
  /** Where SIGINT and SIGTERM arrive (process by default): the console says the server is shutting down. */
  signals?: NodeJS.EventEmitter;
}

/** The console's commands, as its help and its refusals list them. */
export const consoleCommands = ["/msg NICK TEXT", "/join #CHANNEL", "/me ACTION", "/help"] as const;

const commandList = (channel: string): string => `${consoleCommands.join(", ")}; other lines go to ${channel} (//text sends a line starting with /)`;

/** What server.close() says to every client before ERROR: `Server shutting down: <reason>`. */
const shutdownNotice = /^Server shutting down: (.*)$/;

/** One IRC line as the console shows it, or undefined for lines it does not show. */
export function describeLine(line: string): string | undefined {
  const message = parseMessage(line);
  if (!message) return undefined;
  const nick = (message.prefix ?? "").split("!")[0] ?? "";
  const [first = "", second = ""] = message.params;
  switch (message.command) {
    case "PRIVMSG": {
      const action = second.startsWith("\x01ACTION ") ? second.slice(8, second.endsWith("\x01") ? -1 : undefined) : undefined;
      const where = first.startsWith("#") || first.startsWith("&") ? `[${first}] ` : "";
      if (action !== undefined) return `${where}* ${nick} ${action}`;
      return where ? `${where}<${nick}> ${second}` : `*${nick}* ${second}`;
    }
    case "NOTICE": {
      const shutdown = message.prefix?.includes("!") ? undefined : shutdownNotice.exec(second);
      if (shutdown) return `*** server shutting down${shutdown[1] && shutdown[1] !== "Server shutting down" ? ` (${shutdown[1]})` : ""}`;
      return `-${nick}- ${second}`;
    }
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

/** What one typed line does: an IRC line to run as the console's client, or a line to show. */
export function consoleAction(line: string, channel: string): { run: string } | { show: string } | undefined {
  const text = line.replace(/[\r\n\0]/g, "");
  if (!text.trim()) return undefined;
  if (text.startsWith("//")) return { run: `PRIVMSG ${channel} :${text.slice(1)}` };
  if (!text.startsWith("/")) return { run: `PRIVMSG ${channel} :${text}` };
  const [, command = "", rest = ""] = /^\/(\S*)\s*(.*)$/.exec(text) ?? [];
  const args = rest.trim();
  switch (command.toLowerCase()) {
    case "msg": {
      const msg = /^(\S+)\s+(.+)$/.exec(args);
      return msg ? { run: `PRIVMSG ${msg[1]} :${msg[2]}` } : { show: "usage: /msg NICK TEXT" };
    }
    case "join":
      return /^\S+$/.test(args) ? { run: `JOIN ${args}` } : { show: "usage: /join #CHANNEL" };
    case "me":
      return args ? { run: `PRIVMSG ${channel} :\x01ACTION ${args}\x01` } : { show: "usage: /me ACTION" };
    case "help":
      return { show: `console commands: ${commandList(channel)}` };
    default:
      return { show: `unknown command /${command}: the console knows ${commandList(channel)}` };
  }
}

/**
 * Makes the terminal that runs the daemon a participant: it sees its channels, what it
 * types goes to the channel (or `/msg nick text`, `/join #x`, `/me action`), as in the
 * original lab. In a terminal it shows a prompt, prints what happens above it, and Ctrl-C
 * shuts the server down.
 */
export function attachConsole(server: ChatServer, options: ConsoleOptions = {}): { client: Connection; close: () => void } {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  const terminal = options.terminal ?? Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
  const interrupt = options.interrupt ?? (() => process.kill(process.pid, "SIGINT"));
  const channel = options.channel ?? "#lobby";
  const rl = readline.createInterface({ input, output: terminal ? output : undefined, terminal, prompt: `[${channel}] ` });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    rl.close();
  };
  // On a terminal a line starts at the left edge, over the prompt (or a ^C the terminal echoed),
  // and the prompt comes back below it with what was being typed.
  const clearable = terminal || Boolean((output as { isTTY?: boolean }).isTTY);
  const show = (line: string): void => {
    if (clearable) {
      readline.clearLine(output, 0);
      readline.cursorTo(output, 0);
    }
    output.write(`${line}\n`);
    if (terminal && !closed) rl.prompt(true);
  };
  let pending = "";
  const transport: Transport = {
    write(data) {
      pending += data.toString("utf8");
      let end: number;
      while ((end = pending.indexOf("\r\n")) >= 0) {
        const shown = describeLine(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (shown?.startsWith("*** server shutting down")) shuttingDown(shown);
        else if (shown !== undefined) show(shown);
      }
    },
    pendingBytes: () => 0,
    pause: () => {},
    // The server let the console go (it is shutting down): no prompt any more.
    end: close,
    destroy: close,
  };
  // Said once, when the signal arrives (the server's own notice may come too late to be shown, or not at all).
  let saidShutdown = false;
  const shuttingDown = (line: string): void => {
    if (saidShutdown) return;
    saidShutdown = true;
    close();
    show(line);
  };
  const signals = options.signals ?? process;
  const onSignal = (): void => shuttingDown("*** server shutting down");
  for (const signal of ["SIGINT", "SIGTERM"] as const) signals.once(signal, onSignal);
  const client = server.addClient(transport, "console");
  const run = (line: string): void => server.dispatch(client, line);
  run(`NICK ${options.nick ?? "operator"}`);
  run("USER console 0 * :Operator console");
  run(`JOIN ${channel}`);
  rl.on("line", (line) => {
    const action = consoleAction(line, channel);
    if (action && "run" in action) run(action.run);
    else if (action) show(action.show);
    if (terminal && !closed) rl.prompt(true);
  });
  if (terminal) {
    // Ctrl-C (the terminal is in raw mode: it is a key here, not a signal): the line being typed
    // ends with ^C, as a shell shows it, then the daemon's graceful shutdown.
    rl.on("SIGINT", () => {
      output.write("^C\n");
      close();
      interrupt();
    });
    rl.prompt();
  }
  return {
    client,
    close: () => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) signals.off(signal, onSignal);
      close();
    },
  };
}
