import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createChatServer } from "@netlab/chat-server";
import { findProgram } from "@netlab/test-kit";
import { describe, expect, test } from "vitest";
import { ConnectError, IrcConnection } from "../src/index.js";
import { runCli } from "./run-cli.js";

const openssl = findProgram("openssl", "openssl");

describe.skipIf(openssl.skip)("--tls", () => {
  test("connects over TLS with --insecure; refuses an unverified certificate without it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chat-client-tls-"));
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync(openssl.path ?? "openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    const server = createChatServer({ port: 0, tls: { cert: readFileSync(cert), key: readFileSync(key), port: 0 } });
    try {
      const [, secure] = await server.listen();
      const port = String(secure?.port);
      const watcher = await IrcConnection.open({ host: "127.0.0.1", port: Number(port), tls: true, insecure: true, nick: "tlswatch" });
      const seen: string[] = [];
      watcher.on("message", (message) => seen.push(`${message.command} ${message.params.join(" ")}`));
      watcher.send("JOIN", "#tls");
      await expect.poll(() => seen.some((line) => line.startsWith("366"))).toBe(true);
      const sent = await runCli(["send", "--tls", "--insecure", "--port", port, "--nick", "tlsbot", "--channel", "#tls", "secret", "hello"]);
      expect(sent.code).toBe(0);
      await expect.poll(() => seen).toContain("PRIVMSG #tls secret hello");
      const strict = await IrcConnection.open({ host: "127.0.0.1", port: Number(port), tls: true, nick: "strict" }).catch((error: unknown) => error);
      expect(strict).toBeInstanceOf(ConnectError);
      await watcher.quit();
    } finally {
      await server.close({ graceMs: 200 });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
