import tls from "node:tls";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findProgram, selfSignedCert, type SelfSignedCert } from "@netlab/test-kit";
import { createEchoServer, type EchoServer } from "../src/index.js";
import { patternBytes, sendAndCollect } from "./round-trip.js";

const openssl = findProgram("openssl", "openssl");

describe.skipIf(openssl.skip)("TLS echo (self-signed certificate from openssl)", () => {
  let cert: SelfSignedCert;
  let server: EchoServer;
  let port: number;
  beforeAll(async () => {
    cert = selfSignedCert();
    server = createEchoServer({ port: 0, udp: false, tls: { cert: cert.cert, key: cert.key, port: 0 } });
    const listeners = await server.listen();
    port = listeners.find((l) => l.protocol === "tls")?.port ?? 0;
  });
  afterAll(async () => {
    await server.close();
    cert.remove();
  });

  test("opens a TLS listener beside TCP and echoes a stream through it, half-close included", async () => {
    expect(server.address().tls?.port).toBe(port);
    expect(port).not.toBe(server.address().tcp?.port);
    const sent = patternBytes(1024 * 1024);
    expect((await sendAndCollect(port, sent, "127.0.0.1", true)).equals(sent)).toBe(true);
  });

  test("a client that trusts the certificate verifies it", async () => {
    const socket = tls.connect({ port, host: "127.0.0.1", ca: cert.cert, servername: "localhost" });
    await once(socket, "secureConnect");
    expect(socket.authorized).toBe(true);
    socket.write("trusted");
    const [echo] = (await once(socket, "data")) as [Buffer];
    expect(echo.toString()).toBe("trusted");
    socket.destroy();
  });

  test("a plain-text client on the TLS port is dropped without harming the server", async () => {
    const garbage = await sendAndCollect(port, Buffer.from("GET / HTTP/1.0\r\n\r\n")).catch(() => Buffer.alloc(0));
    expect(garbage.toString()).not.toContain("GET /");
    expect((await sendAndCollect(port, Buffer.from("after"), "127.0.0.1", true)).toString()).toBe("after");
  });
});
