import { afterAll, afterEach, beforeAll } from "vitest";
import type { ChatServer, ChatServerOptions } from "../src/index.js";
import { RawClient, register, startServer } from "./raw-client.js";

export type Named = RawClient & { nick: string };

/** One server per test file (options may come from a function run before it starts), fresh unique nicks and channels per test, clients closed after each. */
export function useServer(options: ChatServerOptions | (() => Promise<ChatServerOptions>) = {}) {
  const state = { port: 0, server: undefined as ChatServer | undefined };
  let stop: () => Promise<void> = async () => {};
  const open: RawClient[] = [];
  let n = 0;
  beforeAll(async () => {
    const started = await startServer(typeof options === "function" ? await options() : options);
    state.port = started.port;
    state.server = started.server;
    stop = started.stop;
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => stop());
  return {
    state,
    async user(prefix: string, caps: string[] = []): Promise<Named> {
      const nick = `${prefix}${++n}`;
      const client = await register(state.port, nick, caps);
      open.push(client);
      return Object.assign(client, { nick });
    },
    async raw(): Promise<RawClient> {
      const client = await RawClient.connect(state.port);
      open.push(client);
      return client;
    },
    channel: (): string => `#c${++n}`,
  };
}

/** Joins every client to channel, in order, and waits until each has seen the last join. */
export async function joinAll(channel: string, ...clients: Named[]): Promise<void> {
  for (const client of clients) {
    client.send(`JOIN ${channel}`);
    await client.expect(/ 366 /);
  }
  const last = clients[clients.length - 1];
  for (const client of clients) if (last && client !== last) await client.expect(new RegExp(`^(@\\S+ )?:${last.nick}!\\S+ JOIN`));
}
