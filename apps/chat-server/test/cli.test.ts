import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import net from "node:net";
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
    [["--oper", "nocolon"], 'chat-server: --oper: invalid operator "nocolon": use NAME:PASSWORD (see --help)'],
    [["--tls-cert", "x.pem"], "chat-server: --tls-cert and --tls-key go together (see --help)"],
    [["--bogus"], "chat-server: Unknown argument: --bogus (see --help)"],
    [["--history", "files"], /^chat-server: Invalid values:.*history/],
    [["--history", "redis"], "chat-server: --history redis needs --redis URL (see --help)"],
    [["--redis", "localhost:6379"], 'chat-server: --redis: invalid URL "localhost:6379": use redis://host:port (see --help)'],
    [["--redis", "redis://127.0.0.1:1", "--cluster-lease-ms", "10"], 'chat-server: --cluster-lease-ms: invalid number "10": use a whole number 300 or more (see --help)'],
    [["--redis", "redis://127.0.0.1:1", "--node-id", "a/b"], 'chat-server: --node-id: invalid node id "a/b": it may not contain / (see --help)'],
    [["--history-max-messages", "-1"], 'chat-server: --history-max-messages: invalid number "-1": use a whole number 0 or more (see --help)'],
    [["--history-max-age", "forever"], 'chat-server: --history-max-age: invalid duration "forever": use milliseconds or a unit, e.g. 500ms, 10s, 2m (see --help)'],
  ])("usage error %j exits 2 with one line", async (args, message) => {
    const handle = await startProcess(process.execPath, [bin, ...args]);
    const { code } = await handle.exited;
    expect(code).toBe(2);
    if (typeof message === "string") expect(handle.output().trim()).toBe(message);
    else expect(handle.output()).toMatch(message);
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
      // An unknown command is refused with the list of the console's commands, never sent as text.
      handle.child.stdin.write("/bogus\nafter bogus\n");
      await client.expect(/^:operator!\S+ PRIVMSG #lobby :after bogus$/);
      expect(handle.output()).toContain("unknown command /bogus: the console knows /msg NICK TEXT, /join #CHANNEL, /me ACTION, /help");
      expect(client.lines.some((line) => line.includes("bogus") && !line.includes("after bogus"))).toBe(false);
      // Shutting down is one clean line, said once.
      handle.child.kill("SIGTERM");
      expect((await handle.exited).code).toBe(0);
      expect(handle.output().split("\n").filter((line) => /shutting down/i.test(line) && !line.startsWith("{"))).toEqual(["*** server shutting down"]);
      client.close();
    } finally {
      await handle.stop();
    }
  });
});

/** Runs the CLI to its end; its exit code and everything it printed (stdout and stderr). */
async function run(args: string[], env?: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const handle = await startProcess(process.execPath, [bin, ...args], env ? { env } : {});
  const { code } = await handle.exited;
  return { code, output: handle.output() };
}

describe("chat-server value flags: one line and exit 2 for a bad value, named", () => {
  test.each([
    [["--tls-port", "70000"], 'chat-server: --tls-port: invalid port "70000": use a number from 0 to 65535 (see --help)'],
    [["--websocket-port", "abc"], 'chat-server: --websocket-port: invalid port "abc": use a number from 0 to 65535 (see --help)'],
    [["--port", "-1"], 'chat-server: --port: invalid port "-1": use a number from 0 to 65535 (see --help)'],
    [["--metrics-port", "70000"], 'chat-server: --metrics-port: invalid port "70000": use a number from 0 to 65535 (see --help)'],
    [["--host", "999.1.1.1"], 'chat-server: --host: invalid host "999.1.1.1": use an IP address (127.0.0.1, ::1) or a host name (see --help)'],
    [["--metrics-host", "1.2.3.4.5"], 'chat-server: --metrics-host: invalid host "1.2.3.4.5": use an IP address (127.0.0.1, ::1) or a host name (see --help)'],
    [["--data-dir", "a", "--data-dir", "b"], "chat-server: --data-dir given 2 times: give it once (see --help)"],
    [["--tls-port", "6697", "--tls-port", "6698"], "chat-server: --tls-port given 2 times: give it once (see --help)"],
    [["--flood-burst", "abc"], 'chat-server: --flood-burst: invalid number "abc": use a whole number 1 or more (see --help)'],
    [["--flood-rate", "fast"], 'chat-server: --flood-rate: invalid rate "fast": use commands per second, e.g. 5 or 0.5 (0: no flood control) (see --help)'],
    [["--max-channels", "0"], 'chat-server: --max-channels: invalid number "0": use a whole number 1 or more (see --help)'],
    [["--history-max-messages", "lots"], 'chat-server: --history-max-messages: invalid number "lots": use a whole number 0 or more (see --help)'],
    [["--autoreplay-lines", "1.5"], 'chat-server: --autoreplay-lines: invalid number "1.5": use a whole number 0 or more (see --help)'],
    [["--send-queue", "lots"], 'chat-server: --send-queue: invalid size "lots": use bytes or a unit, e.g. 512, 64k, 1m (see --help)'],
    [["--send-queue", "100"], 'chat-server: --send-queue: invalid size "100": use at least 512 bytes (one IRC line), e.g. 256k (see --help)'],
    [["--cluster-lease-ms", "5s"], 'chat-server: --cluster-lease-ms: invalid number "5s": use a whole number 300 or more (see --help)'],
    [["--registration-timeout", "0"], 'chat-server: --registration-timeout: invalid duration "0": it must be more than 0 (see --help)'],
    [["--nick-grace", "soon"], 'chat-server: --nick-grace: invalid duration "soon": use milliseconds or a unit, e.g. 500ms, 10s, 2m (see --help)'],
    [["--idle-timeout", "1x"], 'chat-server: --idle-timeout: invalid duration "1x": use milliseconds or a unit, e.g. 500ms, 10s, 2m (see --help)'],
    [["--shutdown-grace", "soon"], 'chat-server: --shutdown-grace: invalid duration "soon": use milliseconds or a unit, e.g. 500ms, 10s, 2m (see --help)'],
    [["--max-connections", "many"], 'chat-server: --max-connections: invalid number "many": use a whole number 0 or more (see --help)'],
    [["--max-per-address", "-2"], 'chat-server: --max-per-address: invalid number "-2": use a whole number 0 or more (see --help)'],
    [["--login-limit", "5"], 'chat-server: --login-limit: invalid limit "5": use COUNT/DURATION, e.g. 5/1m (see --help)'],
    [["--scrypt-cost", "ln=15"], 'chat-server: --scrypt-cost: scrypt cost "ln=15" must give ln, r and p, like ln=15,r=8,p=1 (see --help)'],
    [["--websocket-origin", "chat.example.org"], 'chat-server: --websocket-origin: invalid origin "chat.example.org": use a page origin such as https://chat.example.org (see --help)'],
    [["--websocket-proxy", "proxy"], 'chat-server: --websocket-proxy: invalid address "proxy": use the proxy\'s IP address (see --help)'],
    [["--workers", "4"], "chat-server: --workers above 1 needs --redis URL: each worker is a node of the cluster (see --help)"],
    [["--workers", "0"], 'chat-server: --workers: invalid number "0": use a whole number 1 or more (see --help)'],
    [["--workers", "2", "--redis", "redis://127.0.0.1:1", "--history", "sqlite"], "chat-server: --workers above 1 keeps history and accounts in Redis: leave out --history sqlite and --accounts sqlite (see --help)"],
    [["--workers", "2", "--redis", "redis://127.0.0.1:1", "--console"], "chat-server: --console needs one process: leave out --workers (see --help)"],
  ])("%j", async (args, message) => {
    const { code, output } = await run(args);
    expect(output.trim()).toBe(message);
    expect(code).toBe(2);
  });

  test("a bad value from the environment is named by its flag too", async () => {
    const { code, output } = await run([], { NETLAB_CHAT_SERVER_FLOOD_BURST: "x" });
    expect(output.trim()).toBe('chat-server: --flood-burst: invalid number "x": use a whole number 1 or more (see --help)');
    expect(code).toBe(2);
  });

  test("sizes, durations and counts in their units are taken", async () => {
    const { handle, port } = await startDaemon(["--send-queue", "64k", "--flood-burst", "5", "--flood-rate", "0.5", "--history-max-age", "30d", "--registration-timeout", "2s", "--workers", "1"]);
    try {
      const client = await RawClient.connect(port);
      client.send("NICK units", "USER u 0 * :U");
      await client.expect(/ 001 units /);
      client.close();
    } finally {
      await handle.stop();
    }
  });

  test("--help offers --workers as nodes of a cluster", async () => {
    const { code, output } = await run(["--help"]);
    expect(code).toBe(0);
    expect(output).toContain("--tls-port");
    expect(output).toMatch(/--workers +processes sharing the ports, each a node of the cluster \(needs --redis\)/);
  });
});

/** Runs the CLI to its end, its stdout and stderr apart. */
function runApart(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("chat-server operation failures: one line on stderr, exit 1, the stack only when debugging", () => {
  /** A port something else listens on. */
  async function taken(): Promise<{ port: number; close: () => void }> {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    return { port: (blocker.address() as net.AddressInfo).port, close: () => blocker.close() };
  }

  test.each([
    ["--port", (port: number) => ["--port", String(port)]],
    ["--websocket-port", (port: number) => ["--port", "0", "--websocket-port", String(port)]],
  ])("%s in use", async (_, flags) => {
    const blocker = await taken();
    try {
      const quiet = await runApart([...flags(blocker.port), "--history", "none", "--accounts", "none"]);
      expect(quiet.stderr).toBe(`chat-server: cannot listen on 127.0.0.1:${blocker.port}: address already in use\n`);
      // The log says so too, for whoever reads it, without a stack.
      expect(quiet.stdout).not.toMatch(/\bat |stack/);
      expect(quiet.code).toBe(1);
      const debug = await runApart([...flags(blocker.port), "--history", "none", "--accounts", "none", "--log-level", "debug"]);
      expect(debug.stderr).toContain(`chat-server: cannot listen on 127.0.0.1:${blocker.port}: address already in use\n`);
      expect(debug.stderr).toMatch(/\n\s+at /);
      expect(debug.code).toBe(1);
    } finally {
      blocker.close();
    }
  });
});

describe("chat-server version", () => {
  const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

  test("--version prints the package version", async () => {
    const { code, output } = await run(["--version"]);
    expect(output).toBe(`${version}\n`);
    expect(code).toBe(0);
  });

  test("002, 004 and VERSION report netlab-chat-server-<package version>", async () => {
    const { handle, port } = await startDaemon(["--history", "none"]);
    try {
      const client = await RawClient.connect(port);
      client.send("NICK ver", "USER v 0 * :V");
      expect(await client.expect(/ 002 /)).toContain(`running version netlab-chat-server-${version}`);
      expect(await client.expect(/ 004 /)).toMatch(new RegExp(` 004 ver irc\\.cli netlab-chat-server-${version.replace(/\./g, "\\.")} `));
      await client.expect(/ 001 | 376 | 422 /);
      client.send("VERSION");
      expect(await client.expect(/ 351 /)).toMatch(new RegExp(` 351 ver netlab-chat-server-${version.replace(/\./g, "\\.")} `));
      client.close();
    } finally {
      await handle.stop();
    }
  });
});
