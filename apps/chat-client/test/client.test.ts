import { createChatServer, type ChatServer } from "@netlab/chat-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ChatSession, ConnectError, IrcConnection } from "../src/index.js";
import { runCli, until } from "./run-cli.js";

let server: ChatServer;
let port = 0;

beforeAll(async () => {
  server = createChatServer({ serverName: "irc.test", port: 0, limits: { floodRate: 0 } });
  await server.listen();
  port = server.address()?.port ?? 0;
});
afterAll(async () => server.close({ graceMs: 200 }));

/** A watcher connection that collects every line it receives. */
async function watcher(nick: string, channel: string): Promise<{ connection: IrcConnection; seen: string[] }> {
  const connection = await IrcConnection.open({ host: "127.0.0.1", port, nick });
  const seen: string[] = [];
  connection.on("message", (message) => seen.push(`${message.prefix ?? ""} ${message.command} ${message.params.join(" ")}`));
  connection.send("JOIN", channel);
  await expect.poll(() => seen.some((line) => line.includes(" 366 "))).toBe(true);
  return { connection, seen };
}

describe("chat-client against chat-server", () => {
  test("stdout closed by its reader (| head -1): exit 0, no stack trace, however much arrives after", async () => {
    const { spawn } = await import("node:child_process");
    const bin = new URL("../bin/chat-client.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, "--port", String(port), "--nick", "headed", "--channel", "#head", "--json"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await new Promise((resolve) => child.stdout.once("data", resolve));
    // Like head -1: the reader goes away while the client keeps printing what arrives.
    child.stdout.destroy();
    const { connection } = await watcher("chatty", "#head");
    // Whatever it prints next (its join, or these) meets the closed pipe.
    for (let i = 0; i < 20; i++) connection.send("PRIVMSG", "#head", `line ${i}`);
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
    await connection.quit();
  });

  test("piped lines are sent to the channel and incoming messages printed", async () => {
    const { connection, seen } = await watcher("watch1", "#pipe");
    const result = await runCli(["--port", String(port), "--nick", "piper", "--channel", "#pipe"], async (child, output) => {
      await until(() => output().includes("piper joined #pipe"));
      connection.send("PRIVMSG", "#pipe", "hello pipe");
      await until(() => output().includes("<watch1> hello pipe"));
      child.stdin.write("first line\n/me waves\nsecond line\n");
    });
    expect(result.code).toBe(0);
    await expect.poll(() => seen.filter((line) => line.startsWith("piper!")).map((line) => line.split(" ").slice(1).join(" "))).toEqual([
      "JOIN #pipe",
      "PRIVMSG #pipe first line",
      "PRIVMSG #pipe \x01ACTION waves\x01",
      "PRIVMSG #pipe second line",
      "QUIT Quit: bye",
    ]);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d --> piper joined #pipe$/m);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d #pipe <watch1> hello pipe$/m);
    await connection.quit();
  });

  test("433 on the wanted nick: another is picked", async () => {
    const holder = await IrcConnection.open({ host: "127.0.0.1", port, nick: "taken" });
    const result = await runCli(["--port", String(port), "--nick", "taken", "--channel", "#t", "--json"], "/nick\n");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"command":"001","params":["taken_1"');
    await holder.quit();
  });

  test("`send` delivers one message and exits 0; --json reports it", async () => {
    const { connection, seen } = await watcher("watch2", "#once");
    const result = await runCli(["send", "--port", String(port), "--nick", "bot", "--channel", "#once", "--json", "build", "finished"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: true, target: "#once", text: "build finished" });
    // The watcher reads its socket on its own schedule, maybe after the sender has exited.
    await expect.poll(() => seen, { timeout: 5_000 }).toContain("bot!~bot@127.0.0.1 PRIVMSG #once build finished");
    await connection.quit();
  });

  test.each([
    [["send", "--channel", "nobody", "hi"], /not sent to nobody: nobody No such nick/],
    [["send", "--channel", "#bad,name", "hi"], /cannot join #bad,name/],
  ])("send failures exit 1 with one line: %j", async (args, message) => {
    const result = await runCli([...args, "--port", String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("nothing listening: exit 1 with one line", async () => {
    const result = await runCli(["send", "--port", "1", "--channel", "#x", "hi"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^chat-client: cannot connect to 127\.0\.0\.1:1: /);
  });

  test("usage errors exit 2", async () => {
    const result = await runCli(["--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown argument: bogus/);
  });

  test("IrcConnection rejects a wrong server password with ConnectError", async () => {
    const guarded = createChatServer({ port: 0, password: "pw" });
    await guarded.listen();
    try {
      const error = await IrcConnection.open({ host: "127.0.0.1", port: guarded.address()?.port ?? 0, nick: "x", password: "no" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe("EPASSWORD");
    } finally {
      await guarded.close({ graceMs: 100 });
    }
  });
});

describe("reconnecting", () => {
  test("when the server goes away the session reconnects with backoff and rejoins", async () => {
    let first = createChatServer({ port: 0, limits: { floodRate: 0 } });
    await first.listen();
    const serverPort = first.address()?.port ?? 0;
    const session = new ChatSession({ host: "127.0.0.1", port: serverPort, nick: "phoenix", channel: "#rise", backoffMs: { initial: 100, max: 400 } });
    const notes: string[] = [];
    session.on("note", (note) => notes.push(note));
    await session.start();
    await new Promise<void>((resolve) => session.once("ready", resolve));
    await first.close({ graceMs: 100, reason: "restart" });
    await expect.poll(() => notes.some((note) => note.includes("reconnecting"))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    first = createChatServer({ port: serverPort, limits: { floodRate: 0 } });
    await first.listen();
    try {
      await expect.poll(() => notes.some((note) => note.startsWith("reconnected")), { timeout: 5_000 }).toBe(true);
      await expect.poll(() => first.findChannel("#rise")?.members.size ?? 0).toBe(1);
      await session.quit();
    } finally {
      await first.close({ graceMs: 100 });
    }
  });
});
