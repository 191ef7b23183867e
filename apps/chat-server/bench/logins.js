// Accounts in one run: SASL logins per second (PLAIN and SCRAM-SHA-256, accounts hashed at
// scrypt ln=15 and ln=10) against one chat-server, the hashes' own cost measured here, and the
// channel fan-out with every client logged in against anonymous clients (fresh servers per round).
// Usage: pnpm --filter @netlab/chat-server bench:logins   (BENCH_QUICK=1 for a short run)
import { spawn } from "node:child_process";
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { fanoutRun, saturationRun } from "./load.js";
import { cpuOf, exitAfter, pinSelf, startChatServer } from "./peers.js";

const quick = process.env.BENCH_QUICK === "1";
/** Clients logging in at once, each one login after the other on a fresh connection. */
const concurrency = 8;
const loginWarmup = 1;
const loginSeconds = quick ? 2 : 5;
const rounds = quick ? 1 : 3;
const saturationSeconds = quick ? 2 : 4;
const pacedSeconds = quick ? 2 : 3;
const pacedRate = 400;
const inFlight = 64;
/** The fan-out's clients (as load.js has them): each logs in to an account of its own. */
const fanoutClients = 200;
const ratioTarget = 0.9;
// One word: NickServ REGISTER takes the password up to the first space.
const password = "bench-password-7351";
const defaultCost = "ln=15,r=8,p=1";
const cheapCost = "ln=10,r=8,p=1";
// Failed logins would be throttled after 5 per account and 20 per address a minute; none should fail, but a
// failure must show as such, not as a throttled rate.
const serverFlags = (dataDir) => [
  "--history", "none", "--data-dir", dataDir, "--scrypt-cost", cheapCost,
  "--login-limit", "1000000/1m", "--login-limit-per-address", "1000000/1m", "--register-limit", "1000000/1m",
];

// The whole run is bounded: a stuck server must not hang CI (it takes about 3 minutes).
exitAfter(5);
pinSelf();

const tool = fileURLToPath(new URL("../bin/chat-server-account.js", import.meta.url));
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "n/a");
const percentile = (sorted, p) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const base64 = (text) => Buffer.from(text, "utf8").toString("base64");
const hmac = (key, text) => createHmac("sha256", key).update(text, "utf8").digest();

/** Resolves with promise's value, or rejects after ms (the timer does not outlive it). */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A refused step: SASL failures, a NAK, a nick in use, a closing link.
const refusal = / (90[4-7]|43[236]|451|464|465) | CAP \S+ NAK |^ERROR /;

/** One login connection: lines in order, each awaited by pattern; a refusal or a close rejects. */
class LineClient {
  static async open(port) {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await within(new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    }), 10_000, "connect");
    socket.setNoDelay(true);
    return new LineClient(socket);
  }

  constructor(socket) {
    this.socket = socket;
    this.lines = [];
    this.partial = "";
    this.ended = false;
    this.waiter = undefined;
    this.closed = new Promise((resolve) => socket.once("close", resolve));
    socket.on("data", (chunk) => {
      const text = this.partial + chunk.toString("utf8");
      const lines = text.split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) this.lines.push(line.replace(/\r$/, ""));
      this.pump();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.ended = true;
      this.pump();
    });
  }

  send(line) {
    this.socket.write(line + "\r\n");
  }

  /** The match of the first line matching pattern (earlier lines are dropped). */
  expect(pattern, timeoutMs = 15_000) {
    return within(new Promise((resolve, reject) => {
      this.waiter = { pattern, resolve, reject };
      this.pump();
    }), timeoutMs, String(pattern)).finally(() => (this.waiter = undefined));
  }

  pump() {
    const waiter = this.waiter;
    if (!waiter) return;
    while (this.lines.length > 0) {
      const line = this.lines.shift();
      const match = waiter.pattern.exec(line);
      if (match) return waiter.resolve(match);
      if (refusal.test(line)) return waiter.reject(new Error(line));
    }
    if (this.ended) waiter.reject(new Error("connection closed"));
  }

  /** A server challenge (AUTHENTICATE lines of at most 400 bytes, `+` for none or after a full one). */
  async challenge() {
    let text = "";
    for (;;) {
      const [, part = ""] = await this.expect(/^(?::\S+ )?AUTHENTICATE (\S+)$/);
      if (part !== "+") text += part;
      if (part.length < 400) return Buffer.from(text, "base64").toString("utf8");
    }
  }

  /** QUIT, then the server's close (or ours after 5 s). */
  async quit() {
    this.send("QUIT");
    await within(this.closed, 5_000, "close after QUIT").catch(() => {});
    this.socket.destroy();
  }
}

/** Client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding; checks the server's v=. */
async function scramClient(client, account, secret) {
  const clientNonce = randomBytes(18).toString("base64");
  const bare = `n=${account.replace(/=/g, "=3D").replace(/,/g, "=2C")},r=${clientNonce}`;
  client.send(`AUTHENTICATE ${base64(`n,,${bare}`)}`);
  const serverFirst = await client.challenge();
  const fields = new Map(serverFirst.split(",").map((field) => [field.slice(0, 1), field.slice(2)]));
  const nonce = fields.get("r") ?? "";
  const iterations = Number(fields.get("i"));
  if (!nonce.startsWith(clientNonce) || !fields.get("s") || !Number.isInteger(iterations)) throw new Error(`bad server-first-message ${serverFirst}`);
  const salted = await new Promise((resolve, reject) => {
    pbkdf2(Buffer.from(secret.normalize("NFKC"), "utf8"), Buffer.from(fields.get("s"), "base64"), iterations, 32, "sha256", (error, key) => (error ? reject(error) : resolve(key)));
  });
  const clientKey = hmac(salted, "Client Key");
  const storedKey = createHash("sha256").update(clientKey).digest();
  const withoutProof = `c=${base64("n,,")},r=${nonce}`;
  const authMessage = `${bare},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
  client.send(`AUTHENTICATE ${base64(`${withoutProof},p=${proof.toString("base64")}`)}`);
  const serverFinal = await client.challenge();
  const expected = Buffer.from(`v=${hmac(hmac(salted, "Server Key"), authMessage).toString("base64")}`, "utf8");
  const got = Buffer.from(serverFinal, "utf8");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error(`server signature does not match: ${serverFinal}`);
  client.send("AUTHENTICATE +");
}

/**
 * One login on a fresh connection: CAP LS 302, CAP REQ sasl, AUTHENTICATE (mechanism undefined:
 * none), NICK/USER, CAP END until 001, then QUIT. Resolves with the ms from connect to 001.
 */
async function loginOnce(port, nick, mechanism, account) {
  const started = performance.now();
  const client = await LineClient.open(port);
  try {
    client.send("CAP LS 302");
    await client.expect(/ CAP \S+ LS :/);
    if (mechanism) {
      client.send("CAP REQ :sasl");
      await client.expect(/ CAP \S+ ACK :/);
      client.send(`AUTHENTICATE ${mechanism}`);
      await client.expect(/^(?::\S+ )?AUTHENTICATE \+$/);
      if (mechanism === "PLAIN") client.send(`AUTHENTICATE ${base64(`\0${account}\0${password}`)}`);
      else await scramClient(client, account, password);
      await client.expect(/ 903 /);
    }
    client.send(`NICK ${nick}`);
    client.send(`USER ${nick} 0 * :bench`);
    client.send("CAP END");
    await client.expect(/ 001 /);
    const ms = performance.now() - started;
    await client.quit();
    return ms;
  } finally {
    client.socket.destroy();
  }
}

/** `concurrency` clients logging in one after the other for warm-up + window: logins/s and CPU inside the window. */
async function loginPass(server, { tag, mechanism, accounts }) {
  let running = true;
  let counting = false;
  let failures = 0;
  let firstFailure;
  const latencies = [];
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = 0; running; i++) {
      try {
        const ms = await loginOnce(server.port, `${tag}${worker}x${i}`, mechanism, accounts[worker % accounts.length]);
        if (counting) latencies.push(ms);
      } catch (error) {
        failures++;
        firstFailure ??= error.message;
        await settle(100);
      }
    }
  });
  const snapshot = () => ({ at: performance.now(), server: cpuOf(server.pid), self: process.cpuUsage() });
  await settle(loginWarmup * 1000);
  const start = snapshot();
  counting = true;
  await settle(loginSeconds * 1000);
  const end = snapshot();
  counting = false;
  running = false;
  await within(Promise.all(workers), 30_000, "logins to finish");
  const seconds = (end.at - start.at) / 1000;
  const logins = latencies.length;
  const selfCpu = (end.self.user + end.self.system - start.self.user - start.self.system) / 1e6;
  latencies.sort((a, b) => a - b);
  return {
    logins,
    rate: logins / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    serverCpuMs: ((end.server - start.server) * 1000) / Math.max(1, logins),
    serverBusy: (end.server - start.server) / seconds,
    selfCpuMs: (selfCpu * 1000) / Math.max(1, logins),
    failures,
    firstFailure,
  };
}

/** Median ms of one call of fn over count calls after one warm-up call (other work on the machine moves a mean more). */
function timeHash(count, fn) {
  fn();
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

function scryptMs(cost, count) {
  const { ln, r, p } = Object.fromEntries(cost.split(",").map((part) => part.split("=")).map(([key, value]) => [key, Number(value)]));
  const N = 2 ** ln;
  // The server's own maxmem rule (passwords.ts): Node's default 32 MiB refuses ln=15,r=8.
  return timeHash(count, () => scryptSync(password, randomBytes(16), 32, { N, r, p, maxmem: 256 * r * N * 2 }));
}

/** `chat-server-account add NAME`, the password on stdin. */
function addAccount(dataDir, name, cost) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tool, "add", name, "--data-dir", dataDir, "--scrypt-cost", cost], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`chat-server-account add ${name}: exit ${code}: ${stderr.trim()}`))));
    child.stdin.end(`${password}\n`);
  });
}

/** NickServ REGISTER of `fan0`..: each connects as that nick, registers (at the server's --scrypt-cost) and quits. */
async function registerOverIrc(port, prefix, count) {
  for (let i = 0; i < count; i += 10) {
    const group = [];
    for (let k = i; k < Math.min(count, i + 10); k++) {
      group.push((async () => {
        const client = await LineClient.open(port);
        try {
          client.send(`NICK ${prefix}${k}`);
          client.send(`USER ${prefix}${k} 0 * :bench`);
          await client.expect(/ 001 /);
          client.send(`PRIVMSG NickServ :REGISTER ${password}`);
          const [, said] = await client.expect(/^:NickServ!\S+ NOTICE \S+ :(.*)$/);
          if (said !== "Account created") throw new Error(`NickServ REGISTER ${prefix}${k}: ${said}`);
          await client.quit();
        } finally {
          client.socket.destroy();
        }
      })());
    }
    await Promise.all(group);
  }
}

/**
 * The fan-out clients' registration (load.js `register`): CAP LS 302, CAP REQ account-tag sasl
 * for everyone, then for logged-in runs SASL PLAIN as account `fan<index>`; NICK, USER, CAP END.
 * One non-sending receiver records whether the messages it got carried account tags.
 */
function fanoutRegistration(loggedIn, seen) {
  return async (client, index) => {
    client.send("CAP LS 302");
    await client.waitFor(/ LS :/);
    client.send("CAP REQ :account-tag sasl");
    const ack = await client.waitFor(/ (ACK|NAK) :/);
    if (!/ ACK :/.test(ack)) throw new Error(`${client.nick}: CAP REQ refused: ${ack.trim()}`);
    if (loggedIn) {
      client.send("AUTHENTICATE PLAIN");
      await client.waitFor(/AUTHENTICATE \+/);
      client.send(`AUTHENTICATE ${base64(`\0fan${index}\0${password}`)}`);
      const reply = await client.waitFor(/ 90[2-7] /);
      if (!/ 903 /.test(reply)) throw new Error(`${client.nick}: SASL PLAIN as fan${index} failed: ${reply.trim()}`);
    }
    client.send(`NICK ${client.nick}`);
    client.send(`USER ${client.nick} 0 * :bench`);
    client.send("CAP END");
    await client.waitFor(/ (376|422) /);
    if (index === 150) {
      client.onChunk = (chunk) => {
        const text = chunk.toString("latin1");
        if (text.includes("@account=fan")) seen.tagged = true;
        if (/(^|\n):b\d+!\S+ PRIVMSG /.test(text)) seen.untagged = true;
      };
    }
  };
}

const dirs = [];
const servers = [];
const start = async (name, dataDir) => {
  const server = await startChatServer(serverFlags(dataDir), name);
  servers.push(server);
  return server;
};

async function main() {
  const began = performance.now();
  // 1. What one hash costs in this process (on the load generator's core).
  const hashes = {
    [defaultCost]: scryptMs(defaultCost, quick ? 3 : 5),
    [cheapCost]: scryptMs(cheapCost, quick ? 20 : 50),
    pbkdf2: timeHash(quick ? 50 : 200, () => pbkdf2Sync(password, randomBytes(16), 4096, 32, "sha256")),
  };

  // 2. Accounts, before any server: 8 for each cost with the tool, 200 for the fan-out by NickServ REGISTER.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-logins-"));
  dirs.push(dataDir);
  const accountsOf = (prefix) => Array.from({ length: concurrency }, (_, i) => `${prefix}${i}`);
  const costs = [
    { cost: defaultCost, label: `${defaultCost} (default)`, accounts: accountsOf("p15a") },
    { cost: cheapCost, label: cheapCost, accounts: accountsOf("p10a") },
  ];
  let toolMs = performance.now();
  for (const { cost, accounts } of costs) {
    for (let i = 0; i < accounts.length; i += 2) await Promise.all(accounts.slice(i, i + 2).map((name) => addAccount(dataDir, name, cost)));
  }
  toolMs = (performance.now() - toolMs) / (2 * concurrency);

  // 3. Logins per second on one server process.
  const passes = [
    { name: "no SASL (CAP LS, NICK/USER, CAP END)", cost: "", tag: "a", mechanism: undefined, accounts: [""], hash: undefined },
    ...costs.flatMap(({ cost, label, accounts }, c) => [
      { name: "SASL PLAIN", cost: label, tag: `p${c}`, mechanism: "PLAIN", accounts, hash: { ms: hashes[cost], where: "server" } },
      { name: "SASL SCRAM-SHA-256", cost: label, tag: `s${c}`, mechanism: "SCRAM-SHA-256", accounts, hash: { ms: hashes.pbkdf2, where: "client" } },
    ]),
  ];
  const server = await start("logins", dataDir);
  let registerMs;
  try {
    registerMs = performance.now();
    await registerOverIrc(server.port, "fan", fanoutClients);
    registerMs = (performance.now() - registerMs) / fanoutClients;
    for (const pass of passes) {
      pass.result = await loginPass(server, pass);
      await settle(500);
    }
  } finally {
    await server.stop();
  }

  // 4. Fan-out, anonymous against logged in: fresh server per run, the order alternating by round.
  const kinds = [
    { name: "anonymous", loggedIn: false, seen: {}, saturation: undefined, paced: undefined, rounds: [] },
    { name: "logged in (SASL PLAIN)", loggedIn: true, seen: {}, saturation: undefined, paced: undefined, rounds: [] },
  ];
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
      const fresh = await start(kind.name, dataDir);
      try {
        const register = fanoutRegistration(kind.loggedIn, kind.seen);
        const cpu = () => cpuOf(fresh.pid);
        // Saturation first, on the fresh process (as run.js), then the paced load on the same one.
        const saturation = await saturationRun(fresh.port, { seconds: saturationSeconds, inFlight, cpu, register });
        await settle(500);
        const paced = await fanoutRun(fresh.port, { seconds: pacedSeconds, rate: pacedRate, cpu, register });
        kind.rounds.push({ saturation, paced });
        if (!kind.saturation || saturation.delivered > kind.saturation.delivered) kind.saturation = saturation;
        if (!kind.paced || paced.p99 < kind.paced.p99) kind.paced = paced;
      } finally {
        await fresh.stop();
      }
      await settle(500);
    }
  }
  report({ hashes, toolMs, registerMs, passes, kinds, seconds: (performance.now() - began) / 1000 });
}

function report({ hashes, toolMs, registerMs, passes, kinds, seconds }) {
  console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores; Node ${process.version}; the run took ${fmt(seconds, 0)} s`);

  console.log(`\nOne hash with node:crypto in the bench process (core 0, median of 5 to 200 calls), as the server computes it for PLAIN (scrypt, server side) and a SCRAM client for each login (PBKDF2, client side):\n`);
  console.log("| hash | ms per hash | where a login pays it |");
  console.log("| --- | ---: | --- |");
  console.log(`| scrypt ${defaultCost} (default) | ${fmt(hashes[defaultCost], 2)} | server, SASL PLAIN (and NickServ IDENTIFY) |`);
  console.log(`| scrypt ${cheapCost} | ${fmt(hashes[cheapCost], 2)} | server, SASL PLAIN |`);
  console.log(`| PBKDF2-HMAC-SHA-256, 4096 iterations | ${fmt(hashes.pbkdf2, 2)} | client, SASL SCRAM-SHA-256 (the server keeps StoredKey/ServerKey: two HMACs and a SHA-256) |`);
  console.log(`\nAccounts: ${concurrency} per cost with \`chat-server-account add\` (${fmt(toolMs, 0)} ms per account, a process each), ${fanoutClients} for the fan-out by NickServ REGISTER at ${cheapCost} (${fmt(registerMs, 1)} ms per account over the socket).`);

  console.log(`\nLogins per second against one chat-server pinned to core 1 (SQLite accounts, --login-limit and --login-limit-per-address 1000000/1m): ${concurrency} clients, each doing one login after the other on a fresh connection (CAP LS 302, CAP REQ sasl, AUTHENTICATE, NICK/USER, CAP END until 001, QUIT and the server's close), ${loginSeconds} s window after ${loginWarmup} s warm-up. "Hash share": the hash's ms (table above) x logins/s, the part of one core it takes on the side that computes it. "Logins/s one server core could take": 1000 / server CPU ms per login, what the server would sustain if its core were the only limit (with ${concurrency} clients the cheap logins are bound by round trips instead: the server writes its output at most every 5 ms).\n`);
  console.log("| login | account's scrypt cost | logins/s | p50 ms | p99 ms | server CPU ms per login | server core busy | logins/s one server core could take | load generator CPU ms per login | hash share | failed |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const pass of passes) {
    const r = pass.result;
    const share = pass.hash ? `${fmt((pass.hash.ms * r.rate) / 10, 0)} % of the ${pass.hash.where}'s core` : "";
    console.log(`| ${pass.name} | ${pass.cost || "n/a"} | ${fmt(r.rate, 1)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.serverCpuMs, 2)} | ${fmt(r.serverBusy * 100, 0)} % | ${int(1000 / r.serverCpuMs)} | ${fmt(r.selfCpuMs, 2)} | ${share} | ${r.failures} |`);
  }
  for (const pass of passes) if (pass.result.firstFailure) console.log(`\n${pass.name} ${pass.cost}: first failure: ${pass.result.firstFailure}`);

  const [anonymous, loggedIn] = kinds;
  console.log(`\nFan-out: ${fanoutClients} clients in #bench, every one with CAP account-tag and sasl; logged in: each also SASL PLAIN as an account of its own (so every message reaches them with @account=). Fresh server per run, pinned to core 1, same flags and data dir; ${rounds} rounds, the order alternating.`);
  console.log(`\nSaturation: 10 senders, no pacing, at most ${inFlight} messages each unacknowledged, ${saturationSeconds} s window; the round with the most deliveries/s kept:\n`);
  console.log("| clients | delivered/s | undelivered after the drain | p50 ms | p99 ms | max ms | server CPU s per million deliveries | load generator CPU, share of its core | clients cut |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const kind of kinds) {
    const f = kind.saturation;
    console.log(`| ${kind.name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.max, 1)} | ${fmt(f.cpuPerMillion, 3)} | ${fmt(f.generatorCpu, 2)} | ${f.cut} |`);
  }
  console.log(`\nPaced: 10 senders x ${pacedRate} msg/s (${int(10 * pacedRate * (fanoutClients - 1))} deliveries/s offered), ${pacedSeconds} s window, on the same process after the saturation pass; the round with the lowest p99 kept:\n`);
  console.log("| clients | delivered/s | undelivered 2 s after the end | p50 ms | p99 ms | max ms | server CPU s per million deliveries |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const kind of kinds) {
    const f = kind.paced;
    console.log(`| ${kind.name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.max, 1)} | ${fmt(f.cpuPerMillion, 3)} |`);
  }
  console.log("\nEvery round, in the order run:\n");
  console.log("| round | clients | saturation delivered/s | saturation p99 ms | saturation CPU s per million | paced p99 ms | paced CPU s per million |");
  console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
      const { saturation: s, paced: p } = kind.rounds[round];
      console.log(`| ${round + 1} | ${kind.name} | ${int(s.delivered)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuPerMillion, 3)} | ${fmt(p.p99, 2)} | ${fmt(p.cpuPerMillion, 3)} |`);
    }
  }
  const ratio = loggedIn.saturation.delivered / anonymous.saturation.delivered;
  const mean = (kind) => kind.rounds.reduce((sum, r) => sum + r.saturation.delivered, 0) / kind.rounds.length;
  console.log(`\nlogged in / anonymous: saturation delivered/s ${fmt(ratio, 3)}x (best rounds; mean of rounds ${fmt(mean(loggedIn) / mean(anonymous), 3)}x), saturation p99 ${fmt(loggedIn.saturation.p99 / anonymous.saturation.p99, 2)}x, CPU per delivery ${fmt(loggedIn.saturation.cpuPerMillion / anonymous.saturation.cpuPerMillion, 3)}x at saturation and ${fmt(loggedIn.paced.cpuPerMillion / anonymous.paced.cpuPerMillion, 3)}x paced, paced p99 ${fmt(loggedIn.paced.p99 / anonymous.paced.p99, 2)}x`);

  const failures = passes.reduce((sum, pass) => sum + pass.result.failures, 0);
  const lost = kinds.reduce((sum, kind) => sum + kind.rounds.reduce((n, r) => n + r.saturation.lost + r.paced.lost, 0), 0);
  const checks = [
    { target: "every login succeeded", value: `${failures} failed of ${int(passes.reduce((sum, pass) => sum + pass.result.logins, 0) + failures)}`, ok: failures === 0 },
    { target: "account tags reached logged-in runs' receivers, none the anonymous ones'", value: `logged in: ${loggedIn.seen.tagged ? "tagged" : "NO TAG"}${loggedIn.seen.untagged ? " (some untagged)" : ""}; anonymous: ${anonymous.seen.tagged ? "TAGGED" : "untagged"}`, ok: Boolean(loggedIn.seen.tagged && !loggedIn.seen.untagged && !anonymous.seen.tagged && anonymous.seen.untagged) },
    { target: "every fan-out message delivered (all rounds)", value: `${lost} undelivered`, ok: lost === 0 },
    { target: `saturation delivered/s logged in >= ${ratioTarget}x anonymous`, value: `${fmt(ratio, 3)}x (${int(loggedIn.saturation.delivered)} vs ${int(anonymous.saturation.delivered)}/s)`, ok: ratio >= ratioTarget },
  ];
  console.log("\n| target | measured | met |");
  console.log("| --- | --- | --- |");
  for (const check of checks) console.log(`| ${check.target} | ${check.value} | ${check.ok ? "yes" : "NO"} |`);
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
}

try {
  await main();
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
// Sockets still closing or a stray timer must not keep the run alive.
process.exit(process.exitCode ?? 0);
