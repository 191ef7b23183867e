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

/** Seconds as people say them: 185 -> "3 min 5 s", 90061 -> "1 d 1 h 1 min 1 s", 0 -> "0 s". */
export function formatSeconds(total: number): string {
  let rest = Math.max(0, Math.floor(total)) || 0;
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["min", 60], ["s", 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}`);
  }
  return parts.length > 0 ? parts.join(" ") : "0 s";
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** A Unix time (seconds) as a local date and time, `2026-01-01 09:05:07`; the text as given when it is no number. */
export function formatTimestamp(epochSeconds: string | number): string {
  const date = new Date(Number(epochSeconds) * 1000);
  if (!/^\d+$/.test(String(epochSeconds)) || Number.isNaN(date.getTime())) return String(epochSeconds);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `nick` of `nick!user@host`. */
const nickOf = (mask: string): string => mask.split("!")[0] ?? mask;

const plural = (count: string, one: string): string => `${count} ${one}${count === "1" ? "" : "s"}`;

/**
 * What a numeric reply says, as a sentence, with our nick (the first parameter) left out;
 * undefined for replies not worth a line (end-of-list markers, ISUPPORT).
 */
export function describeNumeric(command: string, params: readonly string[]): string | undefined {
  const args = params.slice(1);
  const text = args.at(-1) ?? "";
  const middle = args.slice(0, -1);
  const [a = "", b = "", c = "", d = ""] = args;
  switch (command) {
    case "004":
      return `${a} runs ${b}`;
    case "005": // ISUPPORT: tokens for the client, not the user.
    case "315": // End of WHO
    case "318": // End of WHOIS
    case "366": // End of NAMES
    case "368": // End of ban list
    case "369": // End of WHOWAS
    case "376": // End of MOTD
      return undefined;
    case "252":
    case "253":
    case "254":
      return `${middle.join(" ")} ${text}`;
    case "301":
      return `${a} is away: ${b}`;
    case "311":
      return `${a} is ${b}@${c} (real name: ${args[4] ?? ""})`;
    case "314":
      return `${a} was ${b}@${c} (real name: ${args[4] ?? ""})`;
    case "312":
      return `${a} is on server ${b}${c ? ` (${c})` : ""}`;
    case "317": {
      const idle = `${a} has been idle ${formatSeconds(Number(b))}`;
      return /^\d+$/.test(c) ? `${idle}, signed on ${formatTimestamp(c)}` : idle;
    }
    case "319":
      return `${a} is on ${b}`;
    case "330":
      return `${a} is logged in as ${b}`;
    case "307":
    case "310":
    case "313":
    case "320":
    case "335":
    case "378":
    case "379":
    case "671":
    case "276":
      return `${a} ${text}`;
    case "321":
      return "Channels (users): topic";
    case "322":
      return `${a} (${plural(b, "user")})${c ? `: ${c}` : ""}`;
    case "323":
      return "End of the channel list";
    case "324":
      return `${a} modes: ${args.slice(1).join(" ")}`;
    case "329":
      return `${a} was created on ${formatTimestamp(b)}`;
    case "331":
      return `${a} has no topic`;
    case "332":
      return `Topic of ${a}: ${b}`;
    case "333":
      return `Topic set by ${nickOf(b)}${c ? ` on ${formatTimestamp(c)}` : ""}`;
    case "341":
      return `Invited ${a} to ${b}`;
    case "351":
      return `${b} runs ${a}${c ? ` (${c})` : ""}`;
    case "352":
      return `${a}: ${args[4] ?? ""} (${b}@${c})${(args[5] ?? "").startsWith("G") ? ", away" : ""}: ${(args[6] ?? "").replace(/^\d+ /, "")}`;
    case "353":
      return `Users on ${b}: ${c}`;
    case "367":
      return `${a} bans ${b}${c ? ` (set by ${nickOf(c)}${d ? ` on ${formatTimestamp(d)}` : ""})` : ""}`;
    case "372":
      return text.replace(/^- ?/, "");
    case "375":
      return "Message of the day:";
    case "391":
      return `Time on ${a}: ${b}`;
    case "422":
      return "There is no message of the day";
    case "432":
      return `${JSON.stringify(a)} is not a valid nick: ${text}`;
    case "433":
      return `The nick ${a} is taken: ${text}`;
    default:
      // Errors and the rest: the server's sentence, then what it is about.
      return middle.length > 0 ? `${text}: ${middle.join(" ")}` : text || undefined;
  }
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
    case "FAIL":
    case "WARN":
    case "NOTE": {
      // IRCv3 standard replies: COMMAND CODE [context...] :description.
      const description = clean(message.params.at(-1) ?? "");
      return line(`${message.command === "FAIL" ? "-!-" : "---"} ${first}: ${description}`);
    }
    case "PING":
    case "PONG":
    case "CAP":
      return undefined;
    default: {
      if (!/^\d{3}$/.test(message.command)) return undefined;
      const text = describeNumeric(message.command, message.params.map(clean));
      if (text === undefined) return undefined;
      // Errors (4xx, 5xx) stand out from replies; a missing MOTD is no error to the user.
      return line(`${/^[45]/.test(message.command) && message.command !== "422" ? "-!-" : "---"} ${text}`);
    }
  }
}
