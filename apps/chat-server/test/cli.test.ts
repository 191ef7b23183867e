import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startProcess } from "@netlab/test-kit";
import { afterAll, describe, expect, test } from "vitest";
import { bin, startDaemon as startWith } from "./daemon-process.js";
import { RawClient } from "./raw-client.js";

// History goes to a temporary data dir, never ./data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const startDaemon = (args: string[] = []) => startWith(["--data-dir", dataDir, ...args]);

describe("chat-server CLI", () => {
  test("logs one listening line with the real port; SIGTERM tells clients and exits 0", async () => {
    const { handle, port } = await startDaemon(["--oper", "root:pw"]);
    const listening = handle.output().split("\n").filter((line) => line.includes('"listening"'));
    expect(listening).toHaveLength(1);
    expect(JSON.parse(listening[0] ?? "{}")).toMatchObject({ protocol: "irc", address: "127.0.0.1", port });
    const clients = await Promise.all(["a", "b"].map(async (nick) => {
      const client = await RawClient.connect(port);
      client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
      await client.expect(/ 001 /);
      return client;
    }));
    clients[0]?.send("OPER root pw");
    await clients[0]?.expect(/ 381 /);
    handle.child.kill("SIGTERM");
    for (const client of clients) {
      await client.expect(/^ERROR :Closing Link: \S+ \(Server shutting down\)/);
      await client.done;
    }
    expect((await handle.exited).code).toBe(0);
  });

  test("--motd-file is shown after registration; --metrics-port serves chat metrics", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chat-motd-"));
    const motd = path.join(dir, "motd.txt");
    writeFileSync(motd, "Welcome to the lab\nBe kind\n");
    const metricsPort = await freePort();
    const { handle, port } = await startDaemon(["--motd-file", motd, "--metrics-port", String(metricsPort)]);
    try {
      const client = await RawClient.connect(port);
      client.send("NICK reader", "USER r 0 * :R");
      await client.expect(/ 375 reader :- irc\.cli Message of the day - /);
      await client.expect(/ 372 reader :- Welcome to the lab$/);
      await client.expect(/ 372 reader :- Be kind$/);
      await client.expect(/ 376 reader :End of \/MOTD command\./);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(text).toMatch(/^chat_clients\{state="registered"\} 1$/m);
      expect(text).toMatch(/^chat_server_connections_open\{protocol="irc"\} 1$/m);
      client.close();
    } finally {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a missing --motd-file is an operation failure: exit 1 with one line", async () => {
    const handle = await startProcess(process.execPath, [bin, "--port", "0", "--motd-file", "/nonexistent/motd"]);
    const { code } = await handle.exited;
    expect(code).toBe(1);
    expect(handle.output().trim()).toBe("chat-server: cannot read /nonexistent/motd: ENOENT");
  });

  test("a --data-dir that cannot be used is an operation failure: exit 1 with one line", async () => {
    const file = path.join(dataDir, "a-file");
    writeFileSync(file, "x");
    const handle = await startProcess(process.execPath, [bin, "--port", "0", "--data-dir", file]);
    const { code } = await handle.exited;
    expect(code).toBe(1);
    expect(handle.output().trim()).toMatch(/^chat-server: cannot open history database \S+a-file\/chat-history\.db: [^\n]+$/);
  });

  test("the server password from the environment is enforced", async () => {
    const { handle, port } = await startProcess(process.execPath, [bin, "--port", "0"], {
      ready: /"msg":"listening"/,
      env: { NETLAB_CHAT_SERVER_PASSWORD: "envpw", NETLAB_CHAT_SERVER_HISTORY: "none" },
    }).then((h) => ({ handle: h, port: Number(/"port":(\d+)/.exec(h.output())?.[1]) }));
    try {
      const client = await RawClient.connect(port);
      client.send("PASS nope", "NICK x", "USER x 0 * :x");
      await client.expect(/ 464 /);
    } finally {
      await handle.stop();
    }
  });

  test.each([
    [["--oper", "nocolon"], /--oper wants NAME:PASSWORD/],
    [["--tls-cert", "x.pem"], /--tls-cert and --tls-key go together/],
    [["--bogus"], /Unknown argument: bogus/],
    [["--history", "files"], /Invalid values:.*history/],
    [["--history", "redis"], /--history redis needs --redis URL/],
    [["--redis", "localhost:6379"], /--redis wants a redis:\/\/host:port URL/],
    [["--redis", "redis://127.0.0.1:1", "--cluster-lease-ms", "10"], /--cluster-lease-ms wants a whole number >= 300/],
    [["--redis", "redis://127.0.0.1:1", "--node-id", "a/b"], /--node-id must be non-empty, without \//],
    [["--history-max-messages", "-1"], /--history-max-messages wants a whole number >= 0/],
    [["--history-max-age", "forever"], /invalid duration "forever"/],
  ])("usage error %j exits 2 with one line", async (args, message) => {
    const handle = await startProcess(process.execPath, [bin, ...args]);
    const { code } = await handle.exited;
    expect(code).toBe(2);
    expect(handle.output()).toMatch(message);
    expect(handle.output().trim().split("\n")).toHaveLength(1);
  });

  test("--console takes part in #lobby", async () => {
    const { handle, port } = await startDaemon(["--console"]);
    try {
      const client = await RawClient.connect(port);
      client.send("NICK guest", "USER g 0 * :G", "JOIN #lobby");
      await client.expect(/ 353 .*@operator/);
      handle.child.stdin.write("hello from the console\n");
      await client.expect(/^:operator!\S+ PRIVMSG #lobby :hello from the console$/);
      client.send("PRIVMSG #lobby :hi operator");
      await expect.poll(() => handle.output()).toContain("[#lobby] <guest> hi operator");
      expect(handle.output()).toContain("* guest joined #lobby");
      client.close();
    } finally {
      await handle.stop();
    }
  });
});
