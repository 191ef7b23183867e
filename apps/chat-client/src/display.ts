import type { IrcMessage } from "@netlab/chat-server/protocol";

const colours = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

/** The same nick always gets the same ANSI colour. */
export function nickColour(nick: string): number {
  let hash = 0;
  for (let i = 0; i < nick.length; i++) hash = (hash * 31 + nick.charCodeAt(i)) >>> 0;
  return colours[hash % colours.length] as number;
}

export interface DisplayOptions {
  colour: boolean;
  /** The time shown; `time` tags (server-time) win over it. */
  now?: Date;
}

function clock(message: IrcMessage, now: Date): string {
  const tagged = message.tags?.time ? new Date(message.tags.time) : undefined;
  const at = tagged && !Number.isNaN(tagged.getTime()) ? tagged : now;
  return at.toTimeString().slice(0, 8);
}

// Control characters other than IRC formatting are shown as nothing, so nobody can move our cursor.
const unsafe = /[\x00-\x01\x04-\x0e\x10-\x1c\x1e\x1f\x7f\x1b]/g;

/** One incoming message as a line for the terminal, or undefined when it is not worth showing. */
export function formatIncoming(message: IrcMessage, me: string, options: DisplayOptions): string | undefined {
  const nick = (message.prefix ?? "").split("!")[0] ?? "";
  const paint = (name: string): string => (options.colour ? `\x1b[${nickColour(name)}m${name}\x1b[0m` : name);
  const time = clock(message, options.now ?? new Date());
  const [first = "", second = ""] = message.params.map((param) => param.replace(unsafe, ""));
  const line = (text: string): string => `${time} ${text}`;
  switch (message.command) {
    case "PRIVMSG": {
      const action = /^\x01ACTION (.*)\x01?$/.exec(message.params[1] ?? "");
      const where = first === me ? "" : `${first} `;
      if (action) return line(`${where}* ${paint(nick)} ${(action[1] ?? "").replace(unsafe, "")}`);
      if (second.startsWith("\x01") || (message.params[1] ?? "").startsWith("\x01")) return undefined;
      return line(first === me ? `*${paint(nick)}* ${second}` : `${where}<${paint(nick)}> ${second}`);
    }
    case "NOTICE":
      return line(`-${nick ? paint(nick) : "server"}- ${second}`);
    case "JOIN":
      return line(`--> ${paint(nick)} joined ${first}`);
    case "PART":
      return line(`<-- ${paint(nick)} left ${first}${second ? ` (${second})` : ""}`);
    case "QUIT":
      return line(`<-- ${paint(nick)} quit${first ? ` (${first})` : ""}`);
    case "KICK":
      return line(`<-- ${paint(second)} was kicked from ${first} by ${paint(nick)}${message.params[2] ? ` (${message.params[2]})` : ""}`);
    case "NICK":
      return line(`--- ${paint(nick)} is now ${paint(first)}`);
    case "TOPIC":
      return line(`--- ${paint(nick)} set the topic of ${first}: ${second}`);
    case "MODE":
      return line(`--- ${nick} sets mode ${message.params.slice(1).join(" ")} on ${first}`);
    case "INVITE":
      return line(`--- ${paint(nick)} invites you to ${second}`);
    case "PING":
    case "PONG":
    case "CAP":
      return undefined;
    default: {
      if (!/^\d{3}$/.test(message.command)) return undefined;
      // Numerics: drop our own nick, show the rest.
      const text = message.params.slice(1).map((param) => param.replace(unsafe, "")).join(" ");
      return text ? line(`--- ${text}`) : undefined;
    }
  }
}
