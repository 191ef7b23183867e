import type { IrcMessage } from "@netlab/irc-protocol";

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

// IRC formatting codes (bold 2, colour 3, reset 15, reverse 22, italic 29, underline 31) may stay.
const formatting = new Set([2, 3, 15, 22, 29, 31]);

/** Drops control characters other than IRC formatting, so nobody can move our cursor or clear the screen. */
function clean(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if ((code >= 32 && code !== 127) || formatting.has(code)) out += ch;
  }
  return out;
}

/** One incoming message as a line for the terminal, or undefined when it is not worth showing. */
export function formatIncoming(message: IrcMessage, me: string, options: DisplayOptions): string | undefined {
  const nick = (message.prefix ?? "").split("!")[0] ?? "";
  const paint = (name: string): string => (options.colour ? `\x1b[${nickColour(name)}m${name}\x1b[0m` : name);
  const time = clock(message, options.now ?? new Date());
  const [first = "", second = ""] = message.params.map(clean);
  const line = (text: string): string => `${time} ${text}`;
  switch (message.command) {
    case "PRIVMSG": {
      const raw = message.params[1] ?? "";
      const action = raw.startsWith("\u0001ACTION ") ? raw.slice(8, raw.endsWith("\u0001") ? -1 : undefined) : undefined;
      const where = first === me ? "" : `${first} `;
      if (action !== undefined) return line(`${where}* ${paint(nick)} ${clean(action)}`);
      // Other CTCP requests (VERSION, PING...) are not shown.
      if (raw.startsWith("\u0001")) return undefined;
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
      const text = message.params.slice(1).map(clean).join(" ");
      return text ? line(`--- ${text}`) : undefined;
    }
  }
}
