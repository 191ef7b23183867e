import dns from "node:dns";
import net from "node:net";
import { describe, expect, test } from "vitest";
import { dnsmasqProgram, findProgram, startDnsmasq, startProcess } from "@netlab/test-kit";
import { probe } from "../src/index.js";
import { expectFailure } from "./expect-failure.js";

const python = findProgram("python3", "python3");
const dnsmasq = dnsmasqProgram();

describe.skipIf(python.skip)("connect deadline", () => {
  test("a server whose accept queue is full never completes the handshake: CONNECT_TIMEOUT at --timeout", async () => {
    // A listener that never accepts, with its backlog filled, drops further SYNs (loopback only).
    const listener = await startProcess("python3", ["-c", "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1], flush=True)\ntime.sleep(60)"], { ready: /^\d+/ });
    const port = Number(listener.output().trim());
    const fillers: net.Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) fillers.push(net.connect(port, "127.0.0.1").on("error", () => undefined));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const error = await expectFailure(probe({ target: { host: "127.0.0.1", port, transport: "tcp", timeoutMs: 500 }, message: Buffer.from("x") }));
      expect(error.code).toBe("CONNECT_TIMEOUT");
      expect(error.message).toBe(`connect to 127.0.0.1:${port} timed out after 500 ms`);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      for (const socket of fillers) socket.destroy();
      await listener.stop();
    }
  });
});

describe.skipIf(dnsmasq.skip)("name resolution through a real DNS server on loopback", () => {
  test("a name that does not exist: DNS error naming the host", async () => {
    const server = await startDnsmasq({ args: ["--host-record=echo.netlab.test,127.0.0.1", "--local=/netlab.test/"] });
    try {
      const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
      resolver.setServers([server.server]);
      const lookup: net.LookupFunction = (hostname, _options, callback) =>
        resolver.resolve4(hostname, (error, addresses) => (error ? callback(error, "", 4) : callback(null, addresses[0] ?? "", 4)));
      const error = await expectFailure(probe({ target: { host: "missing.netlab.test", port: 9, transport: "tcp", timeoutMs: 2000, lookup }, message: Buffer.from("x") }));
      expect(error.code).toBe("DNS");
      expect(error.message).toBe("cannot resolve missing.netlab.test: ENOTFOUND");
      const udpError = await expectFailure(probe({ target: { host: "missing.netlab.test", port: 9, transport: "udp", timeoutMs: 2000, lookup }, message: Buffer.from("x") }));
      expect(udpError.code).toBe("DNS");
    } finally {
      await server.stop();
    }
  });
});
