import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { startDaemon } from "./daemon-process.js";
import { RawClient } from "./raw-client.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const args = ["--data-dir", dataDir, "--flood-rate", "0"];

async function connect(port: number, nick: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.send("CAP LS 302", "CAP REQ :message-tags server-time batch draft/chathistory", `NICK ${nick}`, `USER ${nick} 0 * :${nick}`, "CAP END");
  await client.expect(/ (376|422) /);
  return client;
}

/** msgid -> text of every PRIVMSG in lines. */
function received(lines: string[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const line of lines) {
    const message = parseMessage(line);
    if (message?.command === "PRIVMSG" && message.tags?.msgid) seen.set(message.tags.msgid, message.params[1] ?? "");
  }
  return seen;
}

/** The full history of target as the restarted server returns it, oldest first. */
async function storedHistory(client: RawClient, target: string): Promise<string[]> {
  client.skip();
  client.send(`CHATHISTORY LATEST ${target} * 1000`);
  const open = await client.expect(/ BATCH \+\S+ chathistory /);
  const id = / BATCH \+(\S+)/.exec(open)?.[1] ?? "";
  await client.expect(new RegExp(` BATCH -${id}$`));
  return client.lines.filter((line) => line.startsWith(`@batch=${id};`)).map((line) => parseMessage(line)?.tags?.msgid ?? "");
}

describe("crash safety", () => {
  test("after SIGKILL mid-conversation, the restarted server's history holds every message any client received", async () => {
    const first = await startDaemon(args);
    const [ann, bob, cat] = await Promise.all(["ann", "bob", "cat"].map((nick) => connect(first.port, nick)));
    if (!ann || !bob || !cat) throw new Error("clients did not connect");
    for (const client of [ann, bob, cat]) {
      client.send("JOIN #crash");
      await client.expect(/ 366 /);
    }
    // Two senders talk as fast as the socket takes it; the server is killed while they do.
    let stop = false;
    const talk = async (client: RawClient, name: string, dm: string): Promise<void> => {
      for (let i = 0; !stop && !client.closed; i++) {
        client.send(`PRIVMSG #crash :${name} says ${i}`, `PRIVMSG ${dm} :${name} whispers ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    const talking = Promise.all([talk(ann, "ann", "cat"), talk(bob, "bob", "cat")]);
    await expect.poll(() => received(cat.lines).size, { timeout: 10_000 }).toBeGreaterThan(300);
    first.handle.child.kill("SIGKILL");
    await first.handle.exited;
    stop = true;
    await talking;
    await Promise.all([ann.done, bob.done, cat.done]);
    const channelSeen = [ann, bob, cat].map((client) => received(client.lines.filter((line) => line.includes(" PRIVMSG #crash "))));
    const dmSeen = received(cat.lines.filter((line) => line.includes(" PRIVMSG cat ")));

    const second = await startDaemon(args);
    try {
      const reader = await connect(second.port, "cat");
      reader.send("JOIN #crash");
      await reader.expect(/ 366 /);
      const channelHistory = await storedHistory(reader, "#crash");
      const annHistory = await storedHistory(reader, "ann");
      const bobHistory = await storedHistory(reader, "bob");
      for (const seen of channelSeen) {
        const missing = [...seen.keys()].filter((msgid) => !channelHistory.includes(msgid));
        expect(missing).toEqual([]);
        // What each client saw is in the order the history keeps.
        const order = [...seen.keys()].map((msgid) => channelHistory.indexOf(msgid));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      const dmMissing = [...dmSeen.keys()].filter((msgid) => !annHistory.includes(msgid) && !bobHistory.includes(msgid));
      expect(dmMissing).toEqual([]);
      expect(Math.min(...channelSeen.map((seen) => seen.size))).toBeGreaterThan(50);
      expect(dmSeen.size).toBeGreaterThan(50);
      reader.close();
    } finally {
      await second.handle.stop();
    }
  });
});
