import { startProcess, startRedis, type ProcessHandle } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noRedis, type Redis } from "./cluster-fixture.js";
import { bin } from "./daemon-process.js";
import { register, type RawClient } from "./raw-client.js";

/** The pids of the workers that have joined the cluster, from their log lines. */
function workerPids(output: string): number[] {
  return [...output.matchAll(/"pid":(\d+)[^\n]*"msg":"joined the cluster"/g)].map((match) => Number(match[1]));
}

/** The ports of the workers' `listening` lines. */
function listeningPorts(output: string): number[] {
  return [...output.matchAll(/"port":(\d+)[^\n]*"msg":"listening"/g)].map((match) => Number(match[1]));
}

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(noRedis)("--workers: one node of several processes on one port", () => {
  let redis: Redis;
  let node: ProcessHandle;
  let port = 0;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    node = await startProcess(process.execPath, [bin, "--port", "0", "--server-name", "irc.workers", "--redis", redis.url, "--workers", "2", "--cluster-lease-ms", "1000"], {
      ready: /"msg":"listening"/,
    });
    await until(() => (listeningPorts(node.output()).length === 2 && workerPids(node.output()).length === 2 ? true : undefined));
    port = listeningPorts(node.output())[0] ?? 0;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await node?.stop();
    await redis?.stop();
  });

  test("both workers listen on the same port and are nodes of the cluster: users on each talk in one channel", async () => {
    expect(listeningPorts(node.output())).toEqual([port, port]);
    expect(workerPids(node.output())).toHaveLength(2);
    // Connections are dealt to the workers in turn: the next two land on different ones.
    const ann = await register(port, "ann");
    const bob = await register(port, "bob");
    clients.push(ann, bob);
    // The workers learn of each other and of each other's users within a heartbeat.
    await until(async () => {
      ann.send("LUSERS");
      const seen = `${await ann.expect(/ 251 /)}\n${await ann.expect(/ 255 /)}`;
      return /There are 2 users and 0 invisible on 2 servers\n.*:I have 1 clients and 1 servers$/.test(seen) ? true : undefined;
    });
    ann.send("JOIN #both");
    await ann.expect(/ 366 /);
    bob.send("JOIN #both");
    await bob.expect(/ 366 /);
    await ann.expect(/:bob!\S+ JOIN #both/);
    bob.send("PRIVMSG #both :across the workers");
    expect(await ann.expect(/PRIVMSG #both/)).toMatch(/^:bob!\S+ PRIVMSG #both :across the workers$/);
  });

  test("a worker killed: its users quit on the other within the lease, the node starts a new worker, and new users come in", async () => {
    const [first, second] = clients;
    if (!first || !second) throw new Error("the first test did not run");
    const before = workerPids(node.output());
    const victim = before[0] ?? 0;
    process.kill(victim, "SIGKILL");
    // One of ann and bob was on the killed worker: the other sees it quit (netsplit) within the lease.
    const quit = await Promise.race([first.expect(/ QUIT /, 5_000), second.expect(/ QUIT /, 5_000)]);
    expect(quit).toMatch(/^:(ann|bob)!\S+ QUIT :/);
    await until(() => (workerPids(node.output()).length === 3 ? true : undefined));
    expect(node.output()).toMatch(/worker died; restarting/);
    const cid = await register(port, "cid");
    const dee = await register(port, "dee");
    clients.push(cid, dee);
    cid.send("JOIN #again");
    await cid.expect(/ 366 /);
    dee.send("JOIN #again");
    await dee.expect(/ 366 /);
    dee.send("PRIVMSG #again :after the restart");
    expect(await cid.expect(/PRIVMSG #again/)).toMatch(/:after the restart$/);
  });
});
