import os from "node:os";
import readline from "node:readline";
import { cliParser, once, packageVersion, parseHost, parsePort, runCli, UsageError } from "@netlab/cli";
import type { IrcMessage } from "@netlab/irc-protocol";
import { hideBin } from "yargs/helpers";
import { formatIncoming } from "./display.js";
import { nickProblem } from "./input.js";
import { IrcConnection } from "./irc-connection.js";
import { ChatSession } from "./session.js";

const name = "chat-client";

interface CommonArgs {
  host: string;
  port: number;
  nick: string;
  channel: string;
  tls: boolean;
  insecure: boolean;
  password: string | undefined;
  json: boolean;
}

const defaultNick = (os.userInfo().username.replace(/[^A-Za-z0-9_-]/g, "") || "guest").slice(0, 9).replace(/^[^A-Za-z]/, "g");

/** A nick the server would refuse is a usage error, said before connecting. */
function parseNick(input: string): string {
  const problem = nickProblem(input);
  if (problem) throw new UsageError(`invalid nick ${JSON.stringify(input)}: ${problem}`);
  return input;
}

const connectOptions = (args: CommonArgs) => ({
  host: args.host,
  port: args.port,
  tls: args.tls,
  insecure: args.insecure,
  nick: args.nick,
  password: args.password,
});

/** Interactive (TTY) or line-by-line (pipe) chat. */
async function chat(args: CommonArgs & { reconnect: boolean }): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const session = new ChatSession({ ...connectOptions(args), channel: args.channel || undefined, reconnect: args.reconnect });
  // Filled in once connected: prompt() is called by handlers set up before that.
  const ui: { rl?: readline.Interface } = {};
  let closed = false;
  const prompt = (): void => {
    if (!interactive || closed) return;
    ui.rl?.setPrompt(`[${session.current ?? session.nick}] `);
    ui.rl?.prompt(true);
  };
  // Printing above the prompt keeps what is being typed intact.
  const show = (line: string): void => {
    if (interactive) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      process.stdout.write(line + "\n");
      prompt();
    } else process.stdout.write(line + "\n");
  };
  session.on("message", (message: IrcMessage) => {
    if (args.json) {
      if (!/^(PING|PONG)$/.test(message.command)) show(JSON.stringify(message));
      return;
    }
    const line = formatIncoming(message, session.nick, { colour: interactive });
    if (line !== undefined) show(line);
  });
  session.on("note", (note) => show(args.json ? JSON.stringify({ note }) : `*** ${note}`));
  const ended = new Promise<string>((resolve) => session.on("end", resolve));
  await session.start();
  // Created after connecting, so piped input waits in the stream until we can send it.
  const rl = readline.createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  const ready = new Promise<void>((resolve) => session.once("ready", resolve));
  // Lines typed or piped before the join completes wait for it, so `echo hi | chat-client` works.
  let queue = ready;
  let done = false;
  ui.rl = rl;
  rl.on("line", (line) => {
    queue = queue.then(async () => {
      if (done) return;
      if (await session.type(line)) done = true;
      prompt();
    });
  });
  // Ctrl-C in the terminal quits cleanly, like typing bye; the line being typed ends first (with ^C, as a shell shows it).
  rl.on("SIGINT", () => {
    process.stdout.write("^C\n");
    rl.close();
  });
  rl.on("close", () => {
    closed = true;
    queue = queue.then(async () => {
      if (done) return;
      done = true;
      await session.quit("bye");
    });
  });
  prompt();
  const reason = await ended;
  rl.close();
  if (interactive) process.stdout.write(`*** ${reason}\n`);
  process.exit(0);
}

/** Connects, joins, sends one message (as several lines when it is too long for one), quits; exit 1 if the server refused it. */
async function sendOnce(args: CommonArgs & { text: string[] }): Promise<void> {
  const connection = await IrcConnection.open(connectOptions(args));
  const text = args.text.join(" ");
  const target = args.channel;
  const refused = new Promise<string>((resolve) => {
    connection.on("message", (message) => {
      if (/^(401|403|404|405|471|473|474|475|412)$/.test(message.command)) resolve(message.params.slice(1).join(" "));
    });
  });
  const isChannel = /^[#&]/.test(target);
  if (isChannel) {
    const joined = new Promise<void>((resolve) => connection.on("message", (message) => message.command === "366" && resolve()));
    connection.send("JOIN", target);
    const outcome = await Promise.race([joined.then(() => ""), refused]);
    if (outcome) {
      connection.destroy();
      throw new Error(`cannot join ${target}: ${outcome}`);
    }
  }
  connection.say(target, text);
  // A PING after the message tells us the server has handled it (and any error it drew).
  const handled = new Promise<void>((resolve) => connection.on("message", (message) => message.command === "PONG" && resolve()));
  connection.send("PING", "sent");
  const outcome = await Promise.race([handled.then(() => ""), refused]);
  if (outcome) {
    connection.destroy();
    throw new Error(`not sent to ${target}: ${outcome}`);
  }
  await connection.quit("sent");
  if (args.json) process.stdout.write(JSON.stringify({ sent: true, target, text, nick: connection.nick }) + "\n");
  process.exit(0);
}

await runCli(name, async () => {
  await cliParser(hideBin(process.argv), { name, version: packageVersion(import.meta.url), usage: "$0 [options]\n\nTerminal IRC client: chat in a channel, or script it through a pipe." })
    .options({
      host: { type: "string", default: "127.0.0.1", coerce: once("host", parseHost), describe: "server to connect to" },
      port: { type: "string", coerce: once("port", (value) => parsePort(value, { allowZero: false })), describe: "server port (6667, or 6697 with --tls)" },
      nick: { type: "string", default: defaultNick, coerce: once("nick", parseNick), describe: "nick to use (another is picked if taken)" },
      channel: { type: "string", default: "#lobby", describe: "channel to join and talk in" },
      tls: { type: "boolean", default: false, describe: "connect with TLS" },
      insecure: { type: "boolean", default: false, describe: "with --tls, accept any certificate" },
      password: { type: "string", describe: "server password (PASS)" },
      json: { type: "boolean", default: false, describe: "print each message as a JSON object" },
    })
    .middleware((argv) => {
      argv.port ??= argv.tls ? 6697 : 6667;
    })
    .command(
      "$0",
      "chat: typed lines go to the channel; /join /part /msg /me /nick /names /topic /whois /list /away /quit; bye quits",
      (y) => y.option("reconnect", { type: "boolean", default: true, describe: "reconnect with backoff when the server goes away" }),
      (argv) => chat(argv as unknown as CommonArgs & { reconnect: boolean }),
    )
    .command(
      "send <text..>",
      "send one message to --channel (or a nick) and exit",
      (y) => y.positional("text", { type: "string", array: true, demandOption: true }),
      (argv) => sendOnce(argv as unknown as CommonArgs & { text: string[] }),
    )
    .example("$0 --nick alice", "chat in #lobby on 127.0.0.1:6667")
    .example("$0 --host irc.example.org --tls --channel '#lab'", "any IRC server, over TLS")
    .example("echo hi | $0 --channel '#x'", "scripted: each input line is sent, each message printed")
    .example("$0 send --channel '#x' \"build finished\"", "one message, then exit")
    .parseAsync();
  return 0;
});
