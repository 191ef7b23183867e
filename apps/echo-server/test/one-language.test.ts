// "Every netlab command speaks one language": bad values are usage errors (one line, exit 2)
// before anything is bound; a listener that cannot open is one line and exit 1, without a stack.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import net from "node:net";
import { promisify } from "node:util";
import { findProgram, selfSignedCert } from "@netlab/test-kit";
import { describe, expect, test } from "vitest";
import { BIN } from "./daemon-process.js";

const run = promisify(execFile);
const openssl = findProgram("openssl", "openssl");
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/echo-server.js with args; it must end by itself (a usage error or a failure) within 10 s. */
async function echoServer(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const result = await run(process.execPath, [BIN, ...args], { timeout: 10_000, env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => error as Run,
  );
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

describe("a bad value is a usage error: one line naming the flag, exit 2, nothing bound", () => {
  test.each([
    [["--udp-port", "70000"], '--udp-port: invalid port "70000": use a number from 0 to 65535'],
    [["--udp-port", "-1"], '--udp-port: invalid port "-1": use a number from 0 to 65535'],
    [["--udp-port", "abc"], '--udp-port: invalid port "abc": use a number from 0 to 65535'],
    [["--tls-port", "70000"], '--tls-port: invalid port "70000": use a number from 0 to 65535'],
    [["--port", "0", "--port", "0"], "--port given 2 times: give it once"],
    [["--host", "999.1.1.1"], '--host: invalid host "999.1.1.1": use an IP address (127.0.0.1, ::1) or a host name'],
    [["--max-connections", "-5"], '--max-connections: invalid number "-5": use a whole number 0 or more'],
    [["--workers", "abc"], '--workers: invalid number "abc": use a whole number 1 or more'],
    [["--udp-rate", "-1"], '--udp-rate: invalid number "-1": use a whole number 0 or more'],
    [["--blocked-ports", "7", "99999"], '--blocked-ports: invalid port "99999": use a number from 0 to 65535'],
    [["--max-bytes", "lots"], '--max-bytes: invalid size "lots": use bytes or a unit, e.g. 512, 64k, 1m'],
  ])("%j", async (args, line) => {
    const result = await echoServer(args.includes("--port") ? args : ["--port", "0", ...args]);
    expect(result.stderr).toBe(`echo-server: ${line} (see --help)\n`);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
  });

  test.skipIf(openssl.skip)("--tls-port 70000 with a real certificate: a usage error, not a RangeError stack", async () => {
    const cert = selfSignedCert();
    try {
      const result = await echoServer(["--port", "0", "--tls-cert", cert.certPath, "--tls-key", cert.keyPath, "--tls-port", "70000"]);
      expect(result.stderr).toBe('echo-server: --tls-port: invalid port "70000": use a number from 0 to 65535 (see --help)\n');
      expect(result.stdout).toBe("");
      expect(result.code).toBe(2);
    } finally {
      cert.remove();
    }
  });

  test("an environment variable is checked like its flag", async () => {
    const result = await echoServer(["--port", "0"], { NETLAB_ECHO_SERVER_UDP_PORT: "70000" });
    expect(result.stderr).toBe('echo-server: --udp-port: invalid port "70000": use a number from 0 to 65535 (see --help)\n');
    expect(result.code).toBe(2);
  });
});

describe("a listener that cannot open: one line on stderr, exit 1, no stack", () => {
  test.each([[[]], [["--workers", "2"]]])("a port in use %j", async (extra) => {
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await echoServer(["--port", String(taken), ...extra]);
      expect(result.stderr).toBe(`echo-server: cannot listen on 127.0.0.1:${taken}: address already in use\n`);
      expect(result.code).toBe(1);
      // The log line stays for collectors: the error's code, without its stack.
      const fatal = result.stdout.split("\n").find((line) => line.includes('"msg":"cannot listen"'));
      expect(JSON.parse(fatal ?? "{}")).toMatchObject({ level: 60, err: { code: "EADDRINUSE", address: "127.0.0.1", port: taken } });
      expect(result.stdout).not.toContain('"stack"');
    } finally {
      blocker.close();
    }
  });

  test("--log-level debug shows the stack too", async () => {
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await echoServer(["--port", String(taken), "--log-level", "debug"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Error: listen EADDRINUSE.*\n\s+at /);
      expect(result.stderr).toContain(`echo-server: cannot listen on 127.0.0.1:${taken}: address already in use\n`);
      expect(result.stdout).toContain('"stack"');
    } finally {
      blocker.close();
    }
  });

  test("a metrics port in use: the same one line", async () => {
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await echoServer(["--port", "0", "--metrics-port", String(taken)]);
      expect(result.stderr).toBe(`echo-server: cannot listen on 127.0.0.1:${taken}: address already in use\n`);
      expect(result.code).toBe(1);
    } finally {
      blocker.close();
    }
  });
});

test("--version is the package's", async () => {
  expect(await echoServer(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
});

test("--max-connections 0 still means no limit", async () => {
  const child = spawn(process.execPath, [BIN, "--port", "0", "--no-udp", "--max-connections", "0", "--max-per-address", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    while (!out.includes('"msg":"listening"')) await new Promise((resolve) => setTimeout(resolve, 20));
    const port = Number(/"port":(\d+)/.exec(out)?.[1]);
    const sockets = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const socket = net.connect(port, "127.0.0.1");
        await once(socket, "connect");
        socket.write("x");
        await once(socket, "data");
        return socket;
      }),
    );
    for (const socket of sockets) socket.destroy();
    expect(out).not.toContain("refused");
  } finally {
    child.kill("SIGTERM");
    await once(child, "close");
  }
});

test("a reader of its log that goes away (| head -1): it keeps serving and stops cleanly, no stack", async () => {
  const child = spawn(process.execPath, [BIN, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await once(child.stdout, "data");
  child.stdout.destroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill("SIGTERM");
  const [code] = (await once(child, "close")) as [number | null];
  expect(stderr).toBe("");
  expect(code).toBe(0);
});
