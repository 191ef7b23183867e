import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createChatServer, type ChatServer } from "@netlab/chat-server";
import { findProgram } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { IrcConnection } from "../src/index.js";

const tmux = findProgram("tmux", "tmux");
const bin = fileURLToPath(new URL("../bin/chat-client.js", import.meta.url));

describe.skipIf(tmux.skip)("interactive chat-client in a terminal (tmux)", () => {
  const socket = `netlab-chat-tty-${process.pid}`;
  const run = (...args: string[]): string => execFileSync(tmux.path ?? "tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const screen = (): string => run("capture-pane", "-p", "-t", "tty");
  let server: ChatServer;
  let port = 0;

  beforeAll(async () => {
    server = createChatServer({ port: 0 });
    await server.listen();
    port = server.address()?.port ?? 0;
  });
  afterAll(async () => {
    try {
      run("kill-server");
    } catch {
      // Already gone.
    }
    await server.close({ graceMs: 200 });
  });

  test("incoming lines print above the prompt without breaking the line being typed; bye quits", async () => {
    run("new-session", "-d", "-s", "tty", "-x", "120", "-y", "30", `${process.execPath} ${bin} --port ${port} --nick tty --channel '#tty'`);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/^\[#tty\]\s*$/m);
    // Otherwise tmux exits with its last session, racing the second new-session below.
    run("set-option", "-g", "exit-empty", "off");
    const peer = await IrcConnection.open({ host: "127.0.0.1", port, nick: "peer" });
    peer.send("JOIN", "#tty");
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/--> .*peer.* joined #tty/);
    run("send-keys", "-t", "tty", "half typed");
    await expect.poll(screen).toMatch(/\[#tty\] half typed$/m);
    peer.send("PRIVMSG", "#tty", "interrupting you");
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/\d\d:\d\d:\d\d #tty <.*peer.*> interrupting you/);
    // The message sits above, and the prompt still holds what was being typed.
    const lines = screen().trimEnd().split("\n");
    expect(lines[lines.length - 1]).toBe("[#tty] half typed");
    const seen: string[] = [];
    peer.on("message", (message) => seen.push(`${message.command} ${message.params.join(" ")}`));
    run("send-keys", "-t", "tty", " and finished", "Enter");
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("PRIVMSG #tty half typed and finished");
    run("send-keys", "-t", "tty", "bye", "Enter");
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("QUIT Quit: bye");
    // Ctrl-C quits too, while typing: the half line ends (^C) before the goodbye, which has a line of its own.
    run("new-session", "-d", "-s", "tty2", "-x", "120", "-y", "30", `sh -c '${process.execPath} ${bin} --port ${port} --nick tty2 --channel "#tty"; echo exited $?; sleep 30'`);
    await expect.poll(() => seen, { timeout: 10_000 }).toContain("JOIN #tty");
    const screen2 = (): string => run("capture-pane", "-p", "-t", "tty2");
    await expect.poll(screen2, { timeout: 10_000 }).toMatch(/^\[#tty\]\s*$/m);
    run("send-keys", "-t", "tty2", "half a thought");
    await expect.poll(screen2).toMatch(/\[#tty\] half a thought$/m);
    run("send-keys", "-t", "tty2", "C-c");
    await expect.poll(() => seen.filter((line) => line === "QUIT Quit: bye").length, { timeout: 10_000 }).toBe(2);
    await expect.poll(screen2, { timeout: 10_000 }).toMatch(/^exited 0$/m);
    expect(screen2()).toMatch(/^\[#tty\] half a thought\^C\n\*\*\* [^\n]*\nexited 0$/m);
    // The half line was not sent.
    expect(seen.some((line) => line.includes("half a thought"))).toBe(false);
    await peer.quit();
  });
});
