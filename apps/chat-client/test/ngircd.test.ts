import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProgram, freePort, startProcess, type ProcessHandle } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ChatSession, IrcConnection } from "../src/index.js";
import { runCli, until } from "./run-cli.js";

const ngircd = findProgram("ngircd", "ngircd");

describe.skipIf(ngircd.skip)("chat-client against ngircd", () => {
  let daemon: ProcessHandle;
  let port = 0;
  let dir = "";

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(path.join(os.tmpdir(), "chat-client-ngircd-"));
    chmodSync(dir, 0o755);
    const conf = path.join(dir, "ngircd.conf");
    // ngircd drops privileges to nobody: the config must be world-readable, the pid file in /tmp.
    writeFileSync(
      conf,
      [
        "[Global]", "Name = irc.netlab.test", "Info = test", "Listen = 127.0.0.1", `Ports = ${port}`, "MotdPhrase = hello",
        `PidFile = /tmp/ngircd-${port}.pid`,
        "[Limits]", "MaxConnectionsIP = 0", "MaxJoins = 0", "MaxNickLength = 31", "MaxPenaltyTime = 0",
        "[Options]", "PAM = no", "DNS = no", "Ident = no",
      ].join("\n") + "\n",
      { mode: 0o644 },
    );
    daemon = await startProcess(ngircd.path ?? "ngircd", ["-n", "-f", conf], { ready: port });
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("piped chat: registers, joins, sends, and prints what others say", async () => {
    const other = await IrcConnection.open({ host: "127.0.0.1", port, nick: "ngother" });
    const seen: string[] = [];
    other.on("message", (message) => seen.push(`${message.prefix?.split("!")[0]} ${message.command} ${message.params.join(" ")}`));
    other.send("JOIN", "#ng");
    await expect.poll(() => seen.some((line) => / 366 /.test(line))).toBe(true);
    const result = await runCli(["--port", String(port), "--nick", "ngpipe", "--channel", "#ng"], async (child, output) => {
      await until(() => output().includes("ngpipe joined #ng"));
      other.send("PRIVMSG", "#ng", "from ngircd peer");
      await until(() => output().includes("from ngircd peer"));
      child.stdin.write("hello ngircd\n/topic lab topic\n");
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--> ngpipe joined #ng/);
    await expect.poll(() => seen).toContain("ngpipe PRIVMSG #ng hello ngircd");
    await expect.poll(() => seen.some((line) => line.startsWith("ngpipe QUIT"))).toBe(true);
    expect(result.stdout).toMatch(/#ng <ngother> from ngircd peer/);
    await other.quit();
  });

  test("a taken nick gets another; send exits 0", async () => {
    const holder = await IrcConnection.open({ host: "127.0.0.1", port, nick: "ngtaken" });
    const session = new ChatSession({ host: "127.0.0.1", port, nick: "ngtaken", channel: "#ng2", reconnect: false });
    await session.start();
    expect(session.nick).toBe("ngtaken_1");
    await new Promise<void>((resolve) => session.once("ready", resolve));
    const got: string[] = [];
    session.on("message", (message) => got.push(`${message.command} ${message.params.join(" ")}`));
    const result = await runCli(["send", "--port", String(port), "--nick", "ngbot", "--channel", "#ng2", "one", "shot"]);
    expect(result.code).toBe(0);
    await expect.poll(() => got).toContain("PRIVMSG #ng2 one shot");
    await session.quit();
    await holder.quit();
  });
});
