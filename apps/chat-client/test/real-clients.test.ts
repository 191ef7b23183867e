import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createChatServer, type ChatServer } from "@netlab/chat-server";
import { findProgram, startProcess, type ProcessHandle } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ChatSession } from "../src/index.js";

const tmux = findProgram("tmux", "tmux");
const irssi = findProgram("irssi", "irssi");
const ii = findProgram("ii", "ii");

let server: ChatServer;
let port = 0;
let dir = "";

beforeAll(async () => {
  server = createChatServer({ serverName: "irc.netlab.test", port: 0 });
  await server.listen();
  port = server.address()?.port ?? 0;
  dir = mkdtempSync(path.join(os.tmpdir(), "chat-real-clients-"));
});
afterAll(async () => {
  await server.close({ graceMs: 500 });
  rmSync(dir, { recursive: true, force: true });
});

/** A chat-client session in #lab that records what it sees. */
async function labSession(nick: string): Promise<{ session: ChatSession; seen: string[] }> {
  const session = new ChatSession({ host: "127.0.0.1", port, nick, channel: "#lab", reconnect: false });
  const seen: string[] = [];
  session.on("message", (message) => seen.push(`${message.prefix?.split("!")[0] ?? ""} ${message.command} ${message.params.join(" ")}`));
  await session.start();
  await new Promise<void>((resolve) => session.once("ready", resolve));
  return { session, seen };
}

describe.skipIf(tmux.skip || irssi.skip)("irssi in tmux", () => {
  const socket = `netlab-chat-${process.pid}`;
  const run = (...args: string[]): string => execFileSync(tmux.path ?? "tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const screen = (): string => run("capture-pane", "-p", "-t", "irc");

  afterAll(() => {
    try {
      run("kill-server");
    } catch {
      // Already gone.
    }
  });

  test("irssi registers, joins #lab and exchanges messages with chat-client", async () => {
    const home = path.join(dir, "irssi");
    run("new-session", "-d", "-s", "irc", "-x", "200", "-y", "50", `${irssi.path} --home=${home} -n alice -c 127.0.0.1 -p ${port}`);
    await expect.poll(() => server.findClient("alice")?.registered ?? false, { timeout: 15_000 }).toBe(true);
    const { session, seen } = await labSession("carol");
    run("send-keys", "-t", "irc", "/join #lab", "Enter");
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/Total of 2 nicks/);
    // Two separate observers: carol may see the JOIN a moment after irssi shows its NAMES.
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("alice JOIN #lab");
    run("send-keys", "-t", "irc", "hello from irssi", "Enter");
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("alice PRIVMSG #lab hello from irssi");
    await session.type("hello from chat-client");
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/carol.*hello from chat-client/);
    await session.type("/me waves");
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/\* carol waves/);
    await session.quit();
    run("send-keys", "-t", "irc", "/quit", "Enter");
    await expect.poll(() => server.findClient("alice"), { timeout: 10_000 }).toBeUndefined();
  });
});

describe.skipIf(ii.skip)("ii", () => {
  let handle: ProcessHandle | undefined;
  afterAll(async () => handle?.stop());

  test("ii registers, joins #lab, posts, and receives chat-client's messages", async () => {
    const root = path.join(dir, "ii");
    handle = await startProcess(ii.path ?? "ii", ["-s", "127.0.0.1", "-p", String(port), "-n", "bob", "-i", root]);
    const serverDir = path.join(root, "127.0.0.1");
    await expect.poll(() => existsSync(path.join(serverDir, "in")) && server.findClient("bob") !== undefined, { timeout: 10_000 }).toBe(true);
    const { session, seen } = await labSession("dave");
    await appendFile(path.join(serverDir, "in"), "/j #lab\n");
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("bob JOIN #lab");
    await expect.poll(() => existsSync(path.join(serverDir, "#lab", "in")), { timeout: 10_000 }).toBe(true);
    await appendFile(path.join(serverDir, "#lab", "in"), "hello from ii\n");
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("bob PRIVMSG #lab hello from ii");
    await session.type("hello from chat-client");
    const out = path.join(serverDir, "#lab", "out");
    await expect.poll(() => (existsSync(out) ? readFileSync(out, "utf8") : ""), { timeout: 15_000 }).toMatch(/<dave> hello from chat-client/);
    await session.quit();
  });
});
