const nickSpecials = "[]\\`_^{|}";

/**
 * Why a nick cannot be used, or undefined when it can: RFC 2812 nicks are a letter or one of
 * []\`_^{|} first, then also digits and -.
 */
export function nickProblem(nick: string): string | undefined {
  if (!nick) return "a nick cannot be empty";
  const bad = [...new Set([...nick].filter((ch) => !/[A-Za-z0-9-]/.test(ch) && !nickSpecials.includes(ch)))];
  if (bad.length > 0) {
    // Invisible characters are named by their escape (JSON's "\t"), the others as they look.
    const named = bad.map((ch) => (ch === " " ? "a space" : JSON.stringify(ch) === `"${ch}"` && ch.trim() ? `"${ch}"` : JSON.stringify(ch)));
    const list = named.length > 1 ? `${named.slice(0, -1).join(", ")} or ${named.at(-1) ?? ""}` : (named[0] ?? "");
    return `a nick cannot contain ${list} (only letters, digits and - [ ] \\ \` _ ^ { | })`;
  }
  if (/^[0-9-]/.test(nick)) return "a nick cannot start with a digit or -";
  return undefined;
}

/** What a typed line asks for: a message to the current channel, a slash command, or quitting. */
export type Input =
  | { kind: "say"; text: string }
  | { kind: "command"; name: string; args: string }
  | { kind: "quit"; reason: string };

/** Interprets one typed line; `bye` quits, as in the lab. */
export function parseInput(line: string): Input {
  if (line.trim() === "bye") return { kind: "quit", reason: "bye" };
  if (line.startsWith("/") && !line.startsWith("//")) {
    const space = line.indexOf(" ");
    const name = (space < 0 ? line.slice(1) : line.slice(1, space)).toLowerCase();
    const args = space < 0 ? "" : line.slice(space + 1);
    if (name === "quit") return { kind: "quit", reason: args };
    return { kind: "command", name, args };
  }
  // "//text" sends a line that starts with a slash.
  return { kind: "say", text: line.startsWith("//") ? line.slice(1) : line };
}

/** An IRC command to send, or a note for the user. */
export type Action = { send: string[]; channel?: string } | { note: string };

const word = (args: string): [string, string] => {
  const trimmed = args.trim();
  const space = trimmed.indexOf(" ");
  return space < 0 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1)];
};

/**
 * What a slash command sends, given the current channel. `channel` in the result is the
 * new current channel (after /join).
 */
export function commandAction(name: string, args: string, current: string | undefined): Action {
  const [first, rest] = word(args);
  const needChannel = (make: (channel: string) => string[]): Action =>
    current ? { send: make(current) } : { note: "no current channel: /join one first" };
  switch (name) {
    case "join":
    case "j":
      return first ? { send: ["JOIN", first, ...(rest ? [rest] : [])], channel: first } : { note: "usage: /join #channel [key]" };
    case "part":
      return first.startsWith("#") || first.startsWith("&") ? { send: ["PART", first, ...(rest ? [rest] : [])] } : needChannel((c) => ["PART", c, ...(args ? [args] : [])]);
    case "msg":
      return first && rest ? { send: ["PRIVMSG", first, rest] } : { note: "usage: /msg nick text" };
    case "me":
      return args ? needChannel((c) => ["PRIVMSG", c, `\x01ACTION ${args}\x01`]) : { note: "usage: /me action" };
    case "nick": {
      if (!first) return { note: "usage: /nick newnick" };
      const problem = nickProblem(first);
      return problem ? { note: `invalid nick ${JSON.stringify(first)}: ${problem}` } : { send: ["NICK", first] };
    }
    case "names":
      return first ? { send: ["NAMES", first] } : needChannel((c) => ["NAMES", c]);
    case "topic":
      if (first.startsWith("#") || first.startsWith("&")) return { send: ["TOPIC", first, ...(rest ? [rest] : [])] };
      return needChannel((c) => ["TOPIC", c, ...(args ? [args] : [])]);
    case "whois":
      return first ? { send: ["WHOIS", first] } : { note: "usage: /whois nick" };
    case "list":
      return { send: first ? ["LIST", first] : ["LIST"] };
    case "away":
      return { send: args ? ["AWAY", args] : ["AWAY"] };
    default:
      return { note: `unknown command /${name}: try /join /part /msg /me /nick /names /topic /whois /list /away /quit` };
  }
}
