import { randomBytes } from "node:crypto";
import { redisProgram, startRedis } from "@netlab/test-kit";
import { afterAll, afterEach, beforeAll } from "vitest";
import { redisCluster, type ChatServer, type ChatServerOptions } from "../src/index.js";
import { RedisAccounts } from "../src/accounts/redis-accounts.js";
import { register, startServer, testScryptCost, type RawClient } from "./raw-client.js";

/** redis-server is needed; without it the cluster tests are skipped with a message saying what to install. */
export const noRedis = redisProgram().skip;

export type Redis = Awaited<ReturnType<typeof startRedis>>;

/** A cluster node in this process: a ChatServer joined to the Redis at url. */
export async function startNode(url: string, nodeId: string, prefix: string, options: ChatServerOptions = {}): Promise<{ server: ChatServer; port: number; stop: () => Promise<void> }> {
  const accounts = { store: new RedisAccounts({ url, prefix }), cost: testScryptCost };
  return startServer({ serverName: `irc.${nodeId}`, opers: { admin: "secret" }, cluster: redisCluster({ url, nodeId, prefix, leaseMs: 1_000 }), accounts, ...options });
}

/** One redis-server and `count` nodes per test file; clients opened through user() are closed after each test. */
export function useCluster(count: number) {
  const state = { redis: undefined as Redis | undefined, nodes: [] as { server: ChatServer; port: number; stop: () => Promise<void> }[] };
  const prefix = `t${randomBytes(3).toString("hex")}`;
  const open: RawClient[] = [];
  let n = 0;
  beforeAll(async () => {
    if (noRedis) return;
    state.redis = await startRedis();
    for (let i = 0; i < count; i++) state.nodes.push(await startNode(state.redis.url, `node${i}`, prefix));
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => {
    for (const node of state.nodes) await node.stop();
    await state.redis?.stop();
  });
  return {
    state,
    prefix,
    /** A registered client on node `at`, with a fresh nick starting with prefix. */
    async user(at: number, nickPrefix: string, caps: string[] = []): Promise<RawClient & { nick: string }> {
      const nick = `${nickPrefix}${++n}`;
      const client = await register(state.nodes[at]?.port ?? 0, nick, caps);
      open.push(client);
      return Object.assign(client, { nick });
    },
    track(client: RawClient): void {
      open.push(client);
    },
    channel: (): string => `#k${++n}`,
  };
}
