// What idle registered clients cost a server in resident memory.
import { closeClients, type ConnectClients } from "./irc-load-client.js";
import { settle, settledRss } from "./settle.js";

export interface IdleMemory {
  /** RSS before any client connected. */
  before: number;
  /** RSS once it stopped falling after the last client registered. */
  after: number;
  perClient: number;
}

/** RSS growth per client with `count` clients registered and silent; meant for a fresh process. */
export async function idleMemory(pid: number, connect: ConnectClients, count: number): Promise<IdleMemory> {
  // Settled samples: V8 hands memory back some seconds after a burst.
  const before = await settledRss(pid);
  const clients = await connect(count, "i");
  const after = await settledRss(pid);
  closeClients(clients);
  await settle(500);
  return { before, after, perClient: (after - before) / count };
}
