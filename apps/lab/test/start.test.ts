import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { freePort } from "@netlab/test-kit";
import { describe, expect, onTestFinished, test } from "vitest";

const bin = fileURLToPath(new URL("../bin/netlab.js", import.meta.url));

/** `netlab start` in its own process group, as a terminal runs it, with output collected. */
function startLab(env: Record<string, string>) {
  // A folder of its own: what the daemons keep on disk (chat history) is removed after the test.
  const cwd = mkdtempSync(join(tmpdir(), "netlab-start-"));
  onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
  const child = spawn(process.execPath, [bin, "start"], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Sends text and collects what comes back until `until` matches. */
async function exchange(port: number, text: string, until: RegExp): Promise<string> {
  const socket = await connect(port);
  try {
    return await new Promise<string>((resolve, reject) => {
      let got = "";
      const timer = setTimeout(() => reject(new Error(`no ${until} from ${port}, got ${JSON.stringify(got)}`)), 5_000);
      socket.on("data", (chunk: Buffer) => {
        got += chunk.toString();
        if (until.test(got)) {
          clearTimeout(timer);
          resolve(got);
        }
      });
      socket.write(text);
    });
  } finally {
    socket.destroy();
  }
}

const refused = (port: number): Promise<boolean> =>
  connect(port).then(
    (socket) => {
      socket.destroy();
      return false;
    },
    () => true,
  );

describe("netlab start", () => {
  test("runs both daemons with prefixed logs, serves both, and Ctrl-C stops both with exit 0", async () => {
    const echoPort = await freePort();
    const chatPort = await freePort();
    const webPort = await freePort();
    const lab = startLab({ NETLAB_ECHO_SERVER_PORT: String(echoPort), NETLAB_CHAT_SERVER_PORT: String(chatPort), NETLAB_CHAT_SERVER_WEBSOCKET_PORT: String(webPort) });
    try {
      await lab.waitFor(new RegExp(`echo-server \\| \\S+ INFO  listening protocol=tcp address=127.0.0.1 port=${echoPort}`));
      await lab.waitFor(new RegExp(`echo-server \\| \\S+ INFO  listening protocol=udp address=127.0.0.1 port=${echoPort}`));
      await lab.waitFor(new RegExp(`chat-server \\| \\S+ INFO  listening protocol=irc address=127.0.0.1 port=${chatPort}`));
      await lab.waitFor(new RegExp(`netlab: ready: .*echo-server on tcp 127.0.0.1:${echoPort}, udp 127.0.0.1:${echoPort}`));
      expect(lab.output()).toContain(`chat-server on irc 127.0.0.1:${chatPort}`);
      await lab.waitFor(new RegExp(`netlab: chat in your browser: http://127\\.0\\.0\\.1:${webPort}/`));

      expect(await exchange(echoPort, "Test message: SDN course examples", /examples$/)).toBe("Test message: SDN course examples");
      expect(await exchange(chatPort, "NICK alice\r\nUSER alice 0 * :Alice\r\n", / 001 alice /)).toMatch(/ 001 alice /);

      // Ctrl-C: SIGINT to the whole foreground process group.
      process.kill(-(lab.child.pid ?? 0), "SIGINT");
      expect(await lab.exited).toBe(0);
      expect(lab.output()).toMatch(/echo-server \| .* stopped/);
      expect(lab.output()).toMatch(/chat-server \| .* stopped/);
      expect(lab.output()).toContain("netlab: both daemons stopped");
      expect(await refused(echoPort)).toBe(true);
      expect(await refused(chatPort)).toBe(true);
    } finally {
      lab.child.kill("SIGKILL");
    }
  });

  test("when one daemon cannot start, the other is stopped and the exit code is 1", async () => {
    const echoPort = await freePort();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const chatPort = (taken.address() as net.AddressInfo).port;
    const lab = startLab({ NETLAB_ECHO_SERVER_PORT: String(echoPort), NETLAB_CHAT_SERVER_PORT: String(chatPort), NETLAB_CHAT_SERVER_WEBSOCKET_PORT: String(await freePort()) });
    try {
      expect(await lab.exited).toBe(1);
      expect(lab.output()).toMatch(/chat-server \| .*EADDRINUSE/);
      expect(lab.output()).toContain("netlab: a daemon failed; the other was stopped");
      expect(await refused(echoPort)).toBe(true);
    } finally {
      lab.child.kill("SIGKILL");
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
