import { createChatServer } from "@netlab/chat-server";
import { findProgram, selfSignedCert } from "@netlab/test-kit";
import { describe, expect, test } from "vitest";
import { ConnectError, IrcConnection } from "../src/index.js";
import { runCli } from "./run-cli.js";

const openssl = findProgram("openssl", "openssl");

describe.skipIf(openssl.skip)("--tls", () => {
  test("connects over TLS with --insecure; refuses an unverified certificate without it", async () => {
    const pem = selfSignedCert();
    const server = createChatServer({ port: 0, tls: { cert: pem.cert, key: pem.key, port: 0 } });
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
      pem.remove();
    }
  });
});
