/** One IRC message: `[@tags] [:prefix] COMMAND params... [:trailing]`. */
export interface IrcMessage {
  prefix?: string;
  command: string;
  params: string[];
}

/** Parses one IRC line (without CR LF) per RFC 1459 section 2.3.1. */
export function parseMessage(line: string): IrcMessage | undefined {
  let rest = line.replace(/^ +/, "");
  let prefix: string | undefined;
  if (rest.startsWith(":")) {
    const space = rest.indexOf(" ");
    if (space < 0) return undefined;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1).replace(/^ +/, "");
  }
  const params: string[] = [];
  let command = "";
  while (rest.length > 0) {
    if (command && rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(" ");
    const word = space < 0 ? rest : rest.slice(0, space);
    rest = space < 0 ? "" : rest.slice(space + 1).replace(/^ +/, "");
    if (command) params.push(word);
    else command = word.toUpperCase();
  }
  if (!command) return undefined;
  return prefix === undefined ? { command, params } : { prefix, command, params };
}
