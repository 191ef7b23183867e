import tls from "node:tls";
import { findProgram, selfSignedCert } from "@netlab/test-kit";
import { createDaemonMetrics } from "@netlab/daemon";
import { describe, expect, test } from "vitest";
import { createChatServer } from "../src/index.js";
import { RawClient } from "./raw-client.js";

const openssl = findProgram("openssl", "openssl");

describe.skipIf(openssl.skip)("TLS", () => {
  test("a TLS listener beside the plain one; both reach the same channels", async () => {
    const pem = selfSignedCert();
    const server = createChatServer({ serverName: "irc.tls", port: 0, tls: { cert: pem.cert, key: pem.key, port: 0 } });
    try {
      const listeners = await server.listen();
      expect(listeners.map((listener) => listener.protocol)).toEqual(["irc", "ircs"]);
      const tlsPort = listeners[1]?.port ?? 0;
      const socket = tls.connect({ host: "127.0.0.1", port: tlsPort, rejectUnauthorized: false });
      await new Promise<void>((resolve, reject) => {
        socket.once("secureConnect", resolve);
        socket.once("error", reject);
      });
      const secure = new RawClient(socket);
      secure.send("NICK sec", "USER s 0 * :S", "JOIN #tls");
      await secure.expect(/ 366 /);
      const plain = await RawClient.connect(listeners[0]?.port ?? 0);
      plain.send("NICK pln", "USER p 0 * :P", "JOIN #tls", "PRIVMSG #tls :over plain");
      await secure.expect(/^:pln!\S+ PRIVMSG #tls :over plain$/);
      secure.close();
      plain.close();
    } finally {
      await server.close({ graceMs: 200 });
      pem.remove();
    }
  });
});

describe("IPv6 and metrics", () => {
  test("listens on ::1; hosts starting with ':' are written as 0::1 so messages stay parseable", async () => {
    const server = createChatServer({ serverName: "irc.v6", host: "::1", port: 0 });
    try {
      await server.listen();
      expect(server.address()).toMatchObject({ address: "::1", family: "IPv6" });
      const client = await RawClient.connect(server.address()?.port ?? 0, "::1");
      client.send("NICK six", "USER six 0 * :Six");
      await client.expect(/ 001 six :Welcome to the netlab IRC Network six!~six@0::1$/);
      client.send("WHO six");
      await client.expect(/ 352 six \* ~six 0::1 irc\.v6 six H :0 Six$/);
      client.close();
    } finally {
      await server.close({ graceMs: 200 });
    }
  });

  test("metrics count clients, channels, messages, limits and disconnects by reason", async () => {
    const metrics = createDaemonMetrics({ prefix: "chat_server", defaultMetrics: false });
    const server = createChatServer({ port: 0, metrics, limits: { floodRate: 0 } });
    try {
      await server.listen();
      const port = server.address()?.port ?? 0;
      const a = await RawClient.connect(port);
      a.send("NICK ma", "USER a 0 * :A", "JOIN #m", "PRIVMSG #m :one", "PRIVMSG #m :two", `PRIVMSG #m :${"x".repeat(600)}`);
      await a.expect(/ 417 /);
      const b = await RawClient.connect(port);
      b.send("NICK mb", "USER b 0 * :B", "QUIT :done");
      await b.done;
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^chat_clients\{state="registered"\} 1$/m);
      expect(text).toMatch(/^chat_channels 1$/m);
      expect(text).toMatch(/^chat_messages_total 2$/m);
      expect(text).toMatch(/^chat_lines_received_total [4-9]$/m);
      expect(Number(/^chat_lines_sent_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(10);
      expect(text).toMatch(/^chat_limit_hits_total\{limit="line_length"\} 1$/m);
      expect(text).toMatch(/^chat_disconnects_total\{reason="quit"\} 1$/m);
      expect(text).toMatch(/^chat_server_connections_total\{protocol="irc"\} 2$/m);
      a.close();
    } finally {
      await server.close({ graceMs: 200 });
    }
  });
});
