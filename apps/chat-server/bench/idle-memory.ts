// What idle registered clients cost a server in resident memory.
import { rssBytes } from "@netlab/bench-kit";
import { closeClients, type ConnectClients } from "./irc-load-client.js";
import { settle } from "./settle.js";

export interface IdleMemory {
  /** RSS before any client connected. */
  before: number;
  /** RSS 3 s after the last client registered. */
  after: number;
  perClient: number;
}

/** RSS growth per client with `count` clients registered and silent; meant for a fresh process. */
export async function idleMemory(pid: number, connect: ConnectClients, count: number): Promise<IdleMemory> {
  await settle(1_000);
  const before = rssBytes(pid);
  const clients = await connect(count, "i");
  await settle(3_000);
  const after = rssBytes(pid);
  closeClients(clients);
  await settle(500);
  return { before, after, perClient: (after - before) / count };
}
