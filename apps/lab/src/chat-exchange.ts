import { IrcConnection } from "@netlab/chat-client";
import type { IrcMessage } from "@netlab/irc-protocol";

const CHANNEL = "#lobby";

/** Resolves with the first message that matches, or rejects after timeoutMs. */
function waitFor(connection: IrcConnection, match: (message: IrcMessage) => boolean, what: string, timeoutMs = 5_000): Promise<IrcMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off("message", onMessage);
      reject(new Error(`${connection.nick}: no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: IrcMessage): void => {
      if (!match(message)) return;
      clearTimeout(timer);
      connection.off("message", onMessage);
      resolve(message);
    };
    connection.on("message", onMessage);
  });
}

const said = (text: string) => (message: IrcMessage) => message.command === "PRIVMSG" && message.params[1] === text;

export interface ChatConsole {
  /** Types a line at the server's console. */
  type(line: string): void;
}

/**
 * The lab's chat, scripted: two clients join the server's #lobby, talk, the server's
 * console answers, and both leave. Each line printed says who did what and who got it.
 */
export async function chatExchange(port: number, serverConsole: ChatConsole, print: (line: string) => void): Promise<void> {
  const alice = await IrcConnection.open({ host: "127.0.0.1", port, nick: "alice", timeoutMs: 5_000 });
  const bob = await IrcConnection.open({ host: "127.0.0.1", port, nick: "bob", timeoutMs: 5_000 });
  try {
    for (const client of [alice, bob]) {
      const joined = waitFor(client, (m) => m.command === "366", "end of NAMES");
      client.send("JOIN", CHANNEL);
      const names = await joined;
      print(`${client.nick} joined ${names.params[1] ?? CHANNEL}`);
    }
    const exchange = async (from: IrcConnection, text: string, to: IrcConnection[]): Promise<void> => {
      const heard = to.map((client) => waitFor(client, said(text), `"${text}"`));
      from.send("PRIVMSG", CHANNEL, text);
      await Promise.all(heard);
      print(`${from.nick} -> ${CHANNEL}: "${text}" (received by ${to.map((c) => c.nick).join(", ")})`);
    };
    await exchange(alice, "Hello from alice", [bob]);
    await exchange(bob, "Hi alice, bob here", [alice]);
    const reply = "Welcome to the lab, alice and bob";
    const heard = [alice, bob].map((client) => waitFor(client, said(reply), `"${reply}"`));
    serverConsole.type(reply);
    await Promise.all(heard);
    print(`server console -> ${CHANNEL}: "${reply}" (received by alice, bob)`);
    await exchange(alice, "bye", [bob]);
  } finally {
    await alice.quit("bye");
    await bob.quit("bye");
  }
  print("alice and bob quit");
}
