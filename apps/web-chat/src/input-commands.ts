/** A line typed in the input box: text for the current buffer, or a slash command. */
export type TypedLine = { kind: "say"; text: string } | { kind: "command"; name: string; args: string };

/** Reads one typed line: `/name args` is a command, `//text` sends text starting with `/`. */
export function parseTypedLine(line: string): TypedLine {
  if (line.startsWith("/") && !line.startsWith("//")) {
    const space = line.indexOf(" ");
    const name = (space < 0 ? line.slice(1) : line.slice(1, space)).toLowerCase();
    return { kind: "command", name, args: space < 0 ? "" : line.slice(space + 1).trim() };
  }
  return { kind: "say", text: line.startsWith("//") ? line.slice(1) : line };
}

/** The first word of args and the rest. */
export function firstWord(args: string): [string, string] {
  const trimmed = args.trim();
  const space = trimmed.indexOf(" ");
  return space < 0 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}

/** What /help shows, one command a line. */
export const commandHelp: readonly string[] = [
  "/join #channel [key] — join a channel (Alt+Up/Down or Ctrl+K to switch)",
  "/part [#channel] [reason] — leave a channel; /close closes a query too",
  "/msg nick text — private message; /query nick opens the conversation",
  "/me text — an action, shown as * nick text",
  "/nick newnick — change your nick",
  "/topic [text] — show or set the channel's topic",
  "/names, /whois nick, /away [text], /kick nick [reason], /mode ..., /quote RAW LINE",
  "/quit [reason] — disconnect and go back to the login form",
  "//text — send a line that starts with /",
];
