import { execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Finds an outside program on PATH. Outside CI a missing program yields `skip` (a message
 * naming the Debian package to install) so the test is skipped loudly; under CI, where
 * .ci/run installs it, a missing program is an error.
 */
export function findProgram(command, debianPackage) {
  let path;
  try {
    path = execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    path = undefined;
  }
  if (path) return { path, skip: false, reason: "" };
  const reason = `${command} not found: install it with "apt-get install -y ${debianPackage}" (or run bash .ci/run)`;
  if (process.env.CI) throw new Error(`CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return { path: undefined, skip: true, reason };
}

// Below Linux's ephemeral range (32768-60999), so no outgoing connection or port-0 bind of
// another test can be handed the same port between our check and the peer's bind.
const QUIET_PORTS = { low: 20_000, high: 32_767 };

/** Binds port on host for the protocol and releases it; true when the bind worked. */
async function canBind(port, host, protocol) {
  return new Promise((resolve) => {
    if (protocol === "udp") {
      const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
      return;
    }
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago on host for both TCP and UDP (peers such as dnsmasq bind
 * both), picked at random below the ephemeral range.
 */
export async function freePort(host = "127.0.0.1") {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = QUIET_PORTS.low + Math.floor(Math.random() * (QUIET_PORTS.high - QUIET_PORTS.low + 1));
    if ((await canBind(port, host, "tcp")) && (await canBind(port, host, "udp"))) return port;
  }
  throw new Error(`no free port on ${host} in ${QUIET_PORTS.low}-${QUIET_PORTS.high} after 100 tries`);
}

/** Resolves once a TCP connect to host:port succeeds; rejects after timeoutMs. */
export async function waitForPort(port, host = "127.0.0.1", timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect({ port, host });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process below pid now (Linux /proc; empty elsewhere): e.g. the children a forking server made. */
function descendants(pid) {
  const children = new Map();
  let entries = [];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      // The parent pid is the second field after the command, which may hold spaces: read after ") ".
      const ppid = Number(readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found = [];
  const visit = (parent) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/**
 * Starts a child process and waits until `ready` (a RegExp matched against its stdout and
 * stderr, or a TCP port) shows it is up. `stop()` sends SIGTERM, then SIGKILL after graceMs;
 * once it has exited, processes it had started and left behind (a forking server's stuck
 * children) are killed too.
 */
export async function startProcess(command, args, options = {}) {
  const { ready, timeoutMs = 10_000, graceMs = 2_000, env, cwd } = options;
  const child = spawn(command, args, { cwd, env: env ? { ...process.env, ...env } : process.env, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  const onData = (chunk) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const handle = {
    child,
    pid: child.pid,
    exited,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      const family = descendants(child.pid);
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      for (const pid of family) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone, as a well-behaved child's children are.
        }
      }
      return result;
    },
  };
  try {
    if (ready instanceof RegExp) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${command} not ready within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
        const check = () => {
          if (ready.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        child.once("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${command} exited (${code ?? signal}) before it was ready; output:\n${output}`));
        });
        check();
      });
    } else if (typeof ready === "number") {
      await Promise.race([
        waitForPort(ready, options.host ?? "127.0.0.1", timeoutMs),
        exited.then(({ code, signal }) => {
          throw new Error(`${command} exited (${code ?? signal}) before it listened; output:\n${output}`);
        }),
      ]);
    }
  } catch (error) {
    await handle.stop("SIGKILL");
    throw error;
  }
  return handle;
}

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, made with openssl in a fresh
 * temp dir. `remove()` deletes the dir. Call it only when `findProgram("openssl", "openssl")`
 * did not say skip.
 */
export function selfSignedCert(commonName = "localhost") {
  const dir = mkdtempSync(join(tmpdir(), "netlab-cert-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
      "-subj", `/CN=${commonName}`, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
      "-keyout", keyPath, "-out", certPath],
    { stdio: "ignore" },
  );
  return {
    dir,
    keyPath,
    certPath,
    key: readFileSync(keyPath),
    cert: readFileSync(certPath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
export { dnsmasqProgram, startDnsmasq } from "./dnsmasq.js";
export { redisProgram, startRedis } from "./redis.js";
