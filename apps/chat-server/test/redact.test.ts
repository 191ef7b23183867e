import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createRedisHistory, openSqliteHistory, parseMessage } from "../src/index.js";
import { noRedis, startNode, useCluster } from "./cluster-fixture.js";
import { useServer } from "./fixture.js";
import { register, type RawClient } from "./raw-client.js";

const caps = ["message-tags", "echo-message", "batch", "draft/chathistory", "draft/message-redaction"];

/** msgid of the next line matching pattern. */
async function msgidOf(client: RawClient, pattern: RegExp): Promise<string> {
  return parseMessage(await client.expect(pattern))?.tags?.msgid ?? "";
}

/** What CHATHISTORY LATEST returns for channel, as texts. */
async function latest(client: RawClient, channel: string): Promise<string[]> {
  client.skip();
  client.send(`CHATHISTORY LATEST ${channel} * 10`);
  await client.expect(/ BATCH \+\S+ chathistory /);
  const texts: string[] = [];
  for (;;) {
    const line = await client.expect(/ (PRIVMSG|BATCH) /);
    if (/ BATCH -/.test(line)) return texts;
    texts.push(parseMessage(line)?.params[1] ?? "");
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "redact-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("REDACT (draft/message-redaction), one node with SQLite history", () => {
  const server = useServer(async () => ({ history: openSqliteHistory({ dataDir }) }));

  test("the author takes a message back: redaction clients see REDACT, it leaves the history; others see nothing", async () => {
    const ann = await server.user("ann", caps);
    const bob = await server.user("bob", caps);
    const cat = await server.user("cat", ["message-tags"]);
    const channel = server.channel();
    for (const client of [ann, bob, cat]) {
      client.send(`JOIN ${channel}`);
      await client.expect(/ 366 /);
    }
    await ann.expect(new RegExp(`:${cat.nick}!\\S+ JOIN`));
    ann.send(`PRIVMSG ${channel} :oops`, `PRIVMSG ${channel} :keep`);
    const msgid = await msgidOf(ann, /PRIVMSG \S+ :oops/);
    await bob.expect(/:keep$/);
    ann.send(`REDACT ${channel} ${msgid} :typo`);
    const line = new RegExp(`^(@\\S+ )?:${ann.nick}!\\S+ REDACT ${channel} ${msgid} :typo$`);
    expect(await ann.expect(/ REDACT /)).toMatch(line);
    expect(await bob.expect(/ REDACT /)).toMatch(line);
    expect(await cat.sees(/ REDACT /)).toBe(false);
    expect(await latest(bob, channel)).toEqual(["keep"]);
  });

  test("only the author or a channel operator may; unknown msgids and foreign targets fail", async () => {
    const ann = await server.user("ann", caps);
    const bob = await server.user("bob", caps);
    const channel = server.channel();
    for (const client of [ann, bob]) {
      client.send(`JOIN ${channel}`);
      await client.expect(/ 366 /);
    }
    await ann.expect(new RegExp(`:${bob.nick}!\\S+ JOIN`));
    ann.send(`PRIVMSG ${channel} :mine`);
    const annMsg = await msgidOf(bob, /:mine$/);
    bob.send(`REDACT ${channel} ${annMsg}`);
    expect(await bob.expect(/FAIL/)).toMatch(new RegExp(`FAIL REDACT REDACT_FORBIDDEN ${channel} ${annMsg} :`));
    bob.send(`PRIVMSG ${channel} :spam`);
    const bobMsg = await msgidOf(ann, /:spam$/);
    ann.send(`REDACT ${channel} ${bobMsg} :spam`);
    await bob.expect(new RegExp(`REDACT ${channel} ${bobMsg} :spam$`));
    ann.send(`REDACT ${channel} nosuchid`, "REDACT #elsewhere x");
    expect(await ann.expect(/FAIL REDACT UNKNOWN/)).toMatch(new RegExp(`FAIL REDACT UNKNOWN_MSGID ${channel} nosuchid :`));
    expect(await ann.expect(/FAIL REDACT INVALID/)).toMatch(/FAIL REDACT INVALID_TARGET #elsewhere :/);
  });
});

describe.skipIf(noRedis)("REDACT across two cluster nodes with history in Redis", () => {
  const cluster = useCluster(0);

  test("a redaction on one node reaches the other node's members and leaves the shared history", async () => {
    const url = cluster.state.redis?.url ?? "";
    const prefix = `${cluster.prefix}r`;
    const nodes = [
      await startNode(url, "red0", prefix, { history: createRedisHistory({ url, prefix }) }),
      await startNode(url, "red1", prefix, { history: createRedisHistory({ url, prefix }) }),
    ];
    try {
      const ann = await register(nodes[0]?.port ?? 0, "rann", caps);
      const bob = await register(nodes[1]?.port ?? 0, "rbob", caps);
      for (const client of [ann, bob]) {
        client.send("JOIN #red");
        await client.expect(/ 366 /);
      }
      await ann.expect(/:rbob!\S+ JOIN #red/);
      ann.send("PRIVMSG #red :gone soon", "PRIVMSG #red :stays");
      const msgid = await msgidOf(bob, /:gone soon$/);
      await bob.expect(/:stays$/);
      ann.send(`REDACT #red ${msgid}`);
      expect(await bob.expect(/ REDACT /)).toMatch(new RegExp(`:rann!\\S+ REDACT #red ${msgid}$`));
      await expect.poll(() => latest(bob, "#red"), { timeout: 3_000 }).toEqual(["stays"]);
      bob.send(`PRIVMSG rann :private`);
      const direct = await msgidOf(ann, /PRIVMSG rann :private$/);
      bob.send(`REDACT rann ${direct}`);
      expect(await ann.expect(/ REDACT /)).toMatch(new RegExp(`:rbob!\\S+ REDACT rann ${direct}$`));
      ann.close();
      bob.close();
    } finally {
      for (const node of nodes) await node.stop();
    }
  });
});
