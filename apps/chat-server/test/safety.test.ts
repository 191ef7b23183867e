import net from "node:net";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { joinAll, useServer } from "./fixture.js";
import { RawClient, register, startServer } from "./raw-client.js";

const { user, raw, channel, state } = useServer({ limits: { sendQueueBytes: 64 * 1024 } });

describe("line safety", () => {
  test("a line over 512 bytes gets 417 and the connection lives on", async () => {
    const a = await user("a");
    a.send(`PRIVMSG ${a.nick} :${"x".repeat(600)}`, "PING :alive");
    await a.expect(/ 417 \S+ :Input line was too long/);
    await a.expect(/PONG \S+ :?alive$/);
  });

  test("a 510-byte message is cut on relay so the relayed line fits in 512 bytes, at a character boundary", async () => {
    const [a, b] = [await user("a"), await user("b")];
    const head = `PRIVMSG ${b.nick} :`;
    const body = "é".repeat(Math.floor((510 - head.length) / 2));
    a.send(head + body);
    const got = await b.expect(/ PRIVMSG /);
    expect(Buffer.byteLength(got + "\r\n")).toBeLessThanOrEqual(512);
    expect(got).toMatch(/:é+$/);
    expect(body.startsWith(got.slice(got.lastIndexOf(":") + 1))).toBe(true);
  });

  test("a 100 KB line without a newline is dropped with one 417; the next line works", async () => {
    const a = await user("a");
    for (let i = 0; i < 10; i++) a.socket.write("y".repeat(10_000));
    await a.expect(/ 417 /);
    a.send("", "PING :after");
    await a.expect(/PONG \S+ :?after$/);
    expect(a.lines.filter((line) => / 417 /.test(line))).toHaveLength(1);
  });

  test("a bare CR ends a line, so no command hides inside another user's message", async () => {
    const [a, b] = [await user("a"), await user("b")];
    a.socket.write(`PRIVMSG ${b.nick} :hello\rQUIT :smuggled\r\n`);
    await b.expect(/:hello$/);
    await a.expect(/^ERROR .*smuggled/);
    expect(b.lines.some((line) => line.includes("\r"))).toBe(false);
  });

  test("NUL bytes are removed; a line that is not UTF-8 is refused (UTF8ONLY) and never breaks the server", async () => {
    const [a, b] = [await user("a"), await user("b")];
    a.socket.write(`PRIVMSG ${b.nick} :ok\0ay done\r\n`);
    const line = await b.expect(/ done$/);
    expect(line).toContain(":okay ");
    expect(line).not.toContain("\0");
    a.socket.write(Buffer.concat([Buffer.from(`PRIVMSG ${b.nick} :bad `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(" bytes\r\n")]));
    expect(await a.expect(/FAIL/)).toMatch(/ FAIL PRIVMSG INVALID_UTF8 :/);
    a.send("PING :still");
    await a.expect(/PONG \S+ :?still$/);
    expect(await b.sees(/bytes/)).toBe(false);
  });

  test("random bytes from one client never crash the server or reach another client raw", async () => {
    const b = await user("b");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 20 }), async (chunks) => {
        const fuzzer = await raw();
        fuzzer.send("NICK fuzz", "USER f 0 * :F");
        for (const chunk of chunks) fuzzer.socket.write(chunk);
        fuzzer.socket.write(`\r\nPRIVMSG ${b.nick} :after fuzz\r\n`);
        fuzzer.close();
        b.send("PING :alive");
        await b.expect(/PONG \S+ :?alive$/);
      }),
      { numRuns: 25 },
    );
    expect(b.lines.every((line) => !line.includes("\0") && !line.includes("\r"))).toBe(true);
  });

  test("a client that dies mid-line leaves the server and its peers fine", async () => {
    const [a, b] = [await user("a"), await user("b")];
    await joinAll(channel(), a, b);
    a.socket.write("PRIVMSG #half :never fini");
    a.socket.destroy();
    await b.expect(/ QUIT :Connection closed$/);
    b.send("PING :ok");
    await b.expect(/PONG/);
  });
});

describe("flood control", () => {
  test("a flooder is delayed, its commands still run in order, and others are not slowed", async () => {
    const limited = await startServer({ limits: { floodBurst: 5, floodRate: 20 } });
    try {
      const flooder = await register(limited.port, "flooder");
      const calm = await register(limited.port, "calm");
      const started = Date.now();
      flooder.send(...Array.from({ length: 25 }, (_, i) => `PING :f${i}`));
      calm.send("PING :calm");
      await calm.expect(/PONG \S+ :?calm$/);
      const calmMs = Date.now() - started;
      await flooder.expect(/PONG \S+ :?f24$/, 5_000);
      const floodMs = Date.now() - started;
      // 20 commands past the burst at 20/s take about a second.
      expect(floodMs).toBeGreaterThan(700);
      expect(calmMs).toBeLessThan(500);
      const order = flooder.lines.filter((line) => line.includes("PONG")).map((line) => line.split(/:?f/).pop());
      expect(order).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      flooder.close();
      calm.close();
    } finally {
      await limited.stop();
    }
  });
});

describe("slow readers", () => {
  test("a client that stops reading is cut at the send-queue limit; others keep receiving", async () => {
    const [talker, reader] = [await user("t"), await user("r")];
    const stuck = await RawClient.connect(state.port);
    stuck.send("NICK stuck", "USER s 0 * :S");
    await stuck.expect(/ 001 /);
    const ch = channel();
    stuck.send(`JOIN ${ch}`);
    await stuck.expect(/ 366 /);
    await joinAll(ch, talker, reader);
    stuck.socket.pause();
    const text = "z".repeat(400);
    // Loopback kernel buffers take megabytes before the server's own queue grows.
    let i = 0;
    const cut = (): boolean => reader.lines.some((line) => line.endsWith("QUIT :SendQ exceeded"));
    for (let round = 0; round < 100 && !cut(); round++) {
      for (let k = 0; k < 200; k++) talker.send(`PRIVMSG ${ch} :${i++} ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await reader.expect(/^:stuck!\S+ QUIT :SendQ exceeded$/, 5_000);
    talker.send(`PRIVMSG ${ch} :last`);
    await reader.expect(/:last$/, 5_000);
    stuck.close();
  });
});

describe("a flood with flood control off", () => {
  test("output gathered between two flushes is bounded: past four send queues the reader is cut, the talker lives on", async () => {
    const open = await startServer({ limits: { sendQueueBytes: 16 * 1024, floodRate: 0 } });
    try {
      const [talker, reader] = [await register(open.port, "talker"), await register(open.port, "reader")];
      for (const client of [talker, reader]) {
        client.send("JOIN #flood");
        await client.expect(/ 366 /);
      }
      // 120 KB in one write: the reader, though it reads, would be handed more than 64 KB in one flush.
      talker.socket.write(Array.from({ length: 300 }, (_, i) => `PRIVMSG #flood :${i} ${"z".repeat(400)}\r\n`).join(""));
      await talker.expect(/^:reader!\S+ QUIT :SendQ exceeded$/, 5_000);
      await reader.done;
      talker.send("PING :still-here");
      await talker.expect(/PONG \S+ :?still-here$/);
      talker.close();
    } finally {
      await open.stop();
    }
  });
});

describe("timeouts and connection limits", () => {
  test("registration timeout, then PING and ping timeout", async () => {
    const quick = await startServer({ limits: { registrationTimeoutMs: 300, pingIntervalMs: 300, pingTimeoutMs: 300 } });
    try {
      const idle = await RawClient.connect(quick.port);
      await idle.expect(/^ERROR :Closing Link: \S+ \(Registration timeout\)/, 3_000);
      await idle.done;
      const silent = await register(quick.port, "silent");
      await silent.expect(/^:irc\.test PING :?irc\.test$/, 3_000);
      await silent.expect(/^ERROR :Closing Link: \S+ \(Ping timeout: \d+ seconds\)/, 3_000);
      const polite = await register(quick.port, "polite");
      await polite.expect(/ PING /, 3_000);
      polite.send("PONG :irc.test");
      await polite.expect(/ PING /, 3_000);
      expect(polite.closed).toBe(false);
      polite.close();
    } finally {
      await quick.stop();
    }
  });

  test("connections per address are capped with ERROR; the rest are unharmed", async () => {
    const capped = await startServer({ limits: { maxPerAddress: 2 } });
    try {
      const a = await RawClient.connect(capped.port);
      const b = await RawClient.connect(capped.port);
      const c = await RawClient.connect(capped.port);
      await c.expect(/^ERROR :Closing Link: \S+ \(Too many connections from your address\)/);
      await c.done;
      a.send("PING :a");
      await a.expect(/PONG/);
      a.close();
      b.close();
    } finally {
      await capped.stop();
    }
  });

  test("1,000 clients connect at once and all register", async () => {
    const many = await startServer({ limits: { maxPerAddress: 0 } });
    const sockets: net.Socket[] = [];
    try {
      const registered = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          return new Promise<boolean>((resolve) => {
            const socket = net.connect({ port: many.port, host: "127.0.0.1" });
            sockets.push(socket);
            let seen = "";
            socket.setEncoding("utf8");
            socket.on("error", () => resolve(false));
            socket.on("data", (chunk: string) => {
              seen += chunk;
              if (seen.includes(" 001 ")) resolve(true);
            });
            socket.write(`NICK m${i}\r\nUSER m 0 * :M\r\n`);
          });
        }),
      );
      expect(registered.filter(Boolean)).toHaveLength(1000);
      expect([...many.server.clients].filter((client) => client.registered)).toHaveLength(1000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await many.stop();
    }
  });
});

describe("shutdown", () => {
  test("close() tells every client why with ERROR, then closes", async () => {
    const closing = await startServer();
    const a = await register(closing.port, "a");
    const b = await register(closing.port, "b");
    await closing.server.close({ graceMs: 1_000, reason: "maintenance" });
    for (const client of [a, b]) {
      await client.expect(/NOTICE \S+ :Server shutting down: maintenance/);
      await client.expect(/^ERROR :Closing Link: \S+ \(maintenance\)/);
      await client.done;
    }
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port: closing.port, host: "127.0.0.1" });
      socket.on("error", () => resolve(true));
      socket.on("connect", () => {
        socket.destroy();
        resolve(false);
      });
    });
    expect(refused).toBe(true);
  });
});

test("raw() clients are usable before registration", async () => {
  const r = await raw();
  r.send("PING :x");
  await r.expect(/PONG/);
});
