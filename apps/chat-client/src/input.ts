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
