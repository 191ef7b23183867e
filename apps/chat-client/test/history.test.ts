import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createChatServer, openSqliteHistory, type ChatServer } from "@netlab/chat-server";
import type { IrcMessage } from "@netlab/irc-protocol";
import { afterAll, describe, expect, test } from "vitest";
import { ChatSession, IrcConnection } from "../src/index.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-client-history-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function historyServer(port = 0): ChatServer {
  return createChatServer({ serverName: "irc.test", port, limits: { floodRate: 0 }, history: openSqliteHistory({ dataDir }) });
}

async function talker(port: number): Promise<IrcConnection> {
  const connection = await IrcConnection.open({ host: "127.0.0.1", port, nick: "talker" });
  const joined = new Promise<void>((resolve) => connection.on("message", (message) => message.command === "366" && resolve()));
  connection.send("JOIN", "#catch");
  await joined;
  return connection;
}

describe("catching up after a reconnect", () => {
  test("what was said while away is fetched with CHATHISTORY and shown once", async () => {
    let server = historyServer();
    await server.listen();
    const port = server.address()?.port ?? 0;
    const session = new ChatSession({ host: "127.0.0.1", port, nick: "reader", channel: "#catch", backoffMs: { initial: 1_500, max: 3_000 } });
    const texts: string[] = [];
    const seen: IrcMessage[] = [];
    session.on("message", (message) => {
      seen.push(message);
      if (message.command === "PRIVMSG") texts.push(message.params[1] ?? "");
    });
    const notes: string[] = [];
    session.on("note", (note) => notes.push(note));
    await session.start();
    await new Promise<void>((resolve) => session.once("ready", resolve));
    expect(session.connection?.caps).toEqual(new Set(["server-time", "message-tags", "batch", "draft/chathistory"]));
    let other = await talker(port);
    other.send("PRIVMSG", "#catch", "before the break");
    other.send("PRIVMSG", "reader", "private before");
    await expect.poll(() => texts).toEqual(["before the break", "private before"]);

    // The server restarts on the same data dir; talker speaks before reader is back.
    await server.close({ graceMs: 100 });
    other.destroy();
    await expect.poll(() => notes.some((note) => note.includes("reconnecting"))).toBe(true);
    server = historyServer(port);
    await server.listen();
    try {
      other = await talker(port);
      for (const text of ["missed 1", "missed 2"]) other.send("PRIVMSG", "#catch", text);
      await expect.poll(() => server.findChannel("#catch")?.members.size ?? 0, { timeout: 6_000 }).toBe(2);
      other.send("PRIVMSG", "#catch", "live again");
      await expect.poll(() => texts.length, { timeout: 5_000 }).toBe(5);
      expect([...texts].sort()).toEqual(["before the break", "live again", "missed 1", "missed 2", "private before"]);
      const missed = seen.find((message) => message.params[1] === "missed 1");
      expect(missed?.tags?.batch).toBeDefined();
      expect(missed?.tags?.time).toMatch(/^\d{4}-\d\d-\d\dT/);

      // Asking again replays lines already shown: none is shown twice.
      session.connection?.send("CHATHISTORY", "LATEST", "#catch", "*", "50");
      await expect.poll(() => seen.filter((message) => message.command === "BATCH" && message.params[0]?.startsWith("-")).length).toBeGreaterThanOrEqual(2);
      expect(texts).toHaveLength(5);
      await session.quit();
      await other.quit();
    } finally {
      await server.close({ graceMs: 100 });
    }
  });

  test("against a server without history the client registers and chats as before", async () => {
    const server = createChatServer({ port: 0, limits: { floodRate: 0 } });
    await server.listen();
    try {
      const connection = await IrcConnection.open({ host: "127.0.0.1", port: server.address()?.port ?? 0, nick: "plain" });
      expect(connection.caps).toEqual(new Set(["server-time", "message-tags", "batch"]));
      expect(connection.isupport.has("CHATHISTORY")).toBe(false);
      await connection.quit();
    } finally {
      await server.close({ graceMs: 100 });
    }
  });
});
