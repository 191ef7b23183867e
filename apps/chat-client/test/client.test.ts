import net from "node:net";
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
    expect(result.stderr).toBe("chat-client: Unknown argument: --bogus (see --help)\n");
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

describe("usage errors: one line and exit 2, before connecting", () => {
  /** A TCP server that counts the connections it is offered (there must be none). */
  async function counter(): Promise<{ port: number; accepted: () => number; close: () => void }> {
    let accepted = 0;
    const server = net.createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as net.AddressInfo).port, accepted: () => accepted, close: () => server.close() };
  }

  test.each([
    [["--port", "70000"], 'chat-client: --port: invalid port "70000": use a number from 1 to 65535 (see --help)'],
    [["--port", "abc"], 'chat-client: --port: invalid port "abc": use a number from 1 to 65535 (see --help)'],
    [["--port", "-1"], 'chat-client: --port: invalid port "-1": use a number from 1 to 65535 (see --help)'],
    [["send", "--port", "0", "hi"], 'chat-client: --port: invalid port "0": use a number from 1 to 65535 (see --help)'],
    [["--host", "999.1.1.1"], 'chat-client: --host: invalid host "999.1.1.1": use an IP address (127.0.0.1, ::1) or a host name (see --help)'],
    [["--port", "6667", "--port", "6668"], "chat-client: --port given 2 times: give it once (see --help)"],
  ])("%j", async (args, message) => {
    const result = await runCli(args);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
  });

  test.each([
    ["bad nick!", 'chat-client: --nick: invalid nick "bad nick!": a nick cannot contain a space or "!" (only letters, digits and - [ ] \\ ` _ ^ { | }) (see --help)'],
    ["9lives", 'chat-client: --nick: invalid nick "9lives": a nick cannot start with a digit or - (see --help)'],
  ])("--nick %j is invalid, said before connecting", async (nick, message) => {
    const target = await counter();
    try {
      for (const args of [["--nick", nick], ["send", "--nick", nick, "hi"]]) {
        const result = await runCli([...args, "--port", String(target.port)]);
        expect(result.stderr).toBe(`${message}\n`);
        expect(result.code).toBe(2);
      }
      expect(target.accepted()).toBe(0);
    } finally {
      target.close();
    }
  });
});

describe("what the server refuses", () => {
  test("a nick the server calls invalid (432) is said to be invalid, not taken: one line, exit 1", async () => {
    // chat-server keeps NickServ for its services: a valid nick by the rules, refused with 432.
    const result = await runCli(["--port", String(port), "--nick", "NickServ", "--channel", "#n"], "hello\n");
    expect(result.stderr).toBe('chat-client: the server refused the nick "NickServ" as invalid: Erroneous nickname\n');
    expect(result.code).toBe(1);
  });
});

describe("long lines are sent as several messages, as irssi does", () => {
  /** Every PRIVMSG watcher gets from nick, with the byte length of the line as relayed. */
  function fromNick(connection: IrcConnection, nick: string): { texts: string[]; lineBytes: number[] } {
    const texts: string[] = [];
    const lineBytes: number[] = [];
    connection.on("message", (message) => {
      if (message.command !== "PRIVMSG" || !message.prefix?.startsWith(`${nick}!`)) return;
      texts.push(message.params[1] ?? "");
      lineBytes.push(Buffer.byteLength(`:${message.prefix} PRIVMSG ${message.params[0] ?? ""} :${message.params[1] ?? ""}\r\n`));
    });
    return { texts, lineBytes };
  }

  // 2,000 characters: ASCII words, two-byte letters and four-byte emoji.
  const long = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? "d\u00e9j\u00e0 vu " : i % 3 === 1 ? "\u{1f600}\u{1f680} ok " : "lorem ipsum")).join(" ").padEnd(2_000, "x").slice(0, 2_000);

  test("a typed 2,000-character line arrives whole, in lines of at most 512 bytes", async () => {
    expect([...long].length).toBeGreaterThanOrEqual(1_900);
    const { connection } = await watcher("watch3", "#long");
    const got = fromNick(connection, "longline");
    const result = await runCli(["--port", String(port), "--nick", "longline", "--channel", "#long"], async (child, output) => {
      await until(() => output().includes("longline joined #long"));
      child.stdin.write(`${long}\n/me ${long}\n`);
      await until(() => got.texts.join("").includes("\x01ACTION"));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/too long/i);
    const said = got.texts.filter((text) => !text.startsWith("\x01"));
    const acted = got.texts.filter((text) => text.startsWith("\x01ACTION "));
    expect(said.length).toBeGreaterThan(2);
    expect(said.join("")).toBe(long);
    expect(acted.every((text) => text.endsWith("\x01"))).toBe(true);
    expect(acted.map((text) => text.slice(8, -1)).join("")).toBe(long);
    for (const bytes of got.lineBytes) expect(bytes).toBeLessThanOrEqual(512);
    await connection.quit();
  });

  test("send splits a long message too", async () => {
    const { connection } = await watcher("watch4", "#longsend");
    const got = fromNick(connection, "longbot");
    const result = await runCli(["send", "--port", String(port), "--nick", "longbot", "--channel", "#longsend", long]);
    expect(result.code).toBe(0);
    await expect.poll(() => got.texts.join("")).toBe(long);
    for (const bytes of got.lineBytes) expect(bytes).toBeLessThanOrEqual(512);
    await connection.quit();
  });

  test("a line of only spaces is not sent", async () => {
    const { connection, seen } = await watcher("watch5", "#blank");
    const result = await runCli(["--port", String(port), "--nick", "blank", "--channel", "#blank"], async (child, output) => {
      await until(() => output().includes("blank joined #blank"));
      child.stdin.write("   \n\t \nafter\n");
    });
    expect(result.code).toBe(0);
    await expect.poll(() => seen.filter((line) => line.startsWith("blank!") && line.includes("PRIVMSG"))).toEqual(["blank!~blank@127.0.0.1 PRIVMSG #blank after"]);
    await connection.quit();
  });
});

describe("server replies read as sentences", () => {
  test("NAMES, WHOIS, TOPIC and LIST: names lists, idle and signon times, who set the topic", async () => {
    const { connection, seen } = await watcher("peer6", "#read");
    connection.send("TOPIC", "#read", "reading room");
    await expect.poll(() => seen.some((line) => line.includes("TOPIC #read"))).toBe(true);
    const result = await runCli(["--port", String(port), "--nick", "reader6", "--channel", "#read"], async (child, output) => {
      await until(() => output().includes("reader6 joined #read"));
      child.stdin.write("/names\n/whois peer6\n/list #read\n");
      await until(() => /End of the channel list/.test(output()));
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n").map((line) => line.slice(9));
    // The end of the welcome, read with 001, is shown too: this server has no MOTD.
    expect(lines).toContain("--- There is no message of the day");
    expect(lines).toContain("--- Topic of #read: reading room");
    expect(lines.some((line) => /^--- Topic set by peer6 on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(line))).toBe(true);
    expect(lines).toContain("--- Users on #read: @peer6 reader6");
    expect(lines).toContain("--- peer6 is ~peer6@127.0.0.1 (real name: peer6)");
    expect(lines).toContain("--- peer6 is on @#read");
    expect(lines).toContain("--- peer6 is on server irc.test (netlab chat)");
    expect(lines.some((line) => /^--- peer6 has been idle \d+ s, signed on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(line))).toBe(true);
    expect(lines).toContain("--- #read (2 users): reading room");
    // No raw parameters: no channel-type symbol in front of a names list, no Unix times.
    expect(result.stdout).not.toMatch(/--- [=@*] #/);
    expect(result.stdout).not.toMatch(/\b1\d{9}\b/);
    await connection.quit();
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
    // The loss is said once, with the server's reason; each try after it says what failed.
    await expect.poll(() => notes.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    expect(notes[0]).toMatch(new RegExp(`^connection to 127\\.0\\.0\\.1:${serverPort} lost \\(Closing Link: \\S+ \\(restart\\)\\); reconnecting in 0\\.1 s$`));
    for (const note of notes.slice(1)) expect(note).toMatch(new RegExp(`^cannot reconnect to 127\\.0\\.0\\.1:${serverPort} \\(connection refused\\); retrying in 0\\.[24] s$`));
    expect(notes.filter((note) => note.includes("Closing Link"))).toHaveLength(1);
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
