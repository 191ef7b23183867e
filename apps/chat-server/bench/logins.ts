// Accounts in one run: SASL logins per second (PLAIN and SCRAM-SHA-256, accounts hashed at
// scrypt ln=15 and ln=10) against one chat-server, the hashes' own cost measured here, and the
// channel fan-out with every client logged in against anonymous clients (fresh servers per round).
// Usage: pnpm --filter @netlab/chat-server bench:logins   (BENCH_QUICK=1 for a short run)
import { spawn } from "node:child_process";
import { pbkdf2Sync, randomBytes, scryptSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { cpuSeconds, fixed, int, median, ratio, runAlternating, summarize, times, type Metric } from "@netlab/bench-kit";
import { fanoutRun, saturationRun, type FanoutResult, type SaturationResult } from "./channel-load.js";
import { tcpClients, type Register } from "./irc-load-client.js";
import { LineClient, within } from "./line-client.js";
import { exitAfter, pinSelf, startChatServer, type BenchServer } from "./peers.js";
import { finish } from "./result.js";
import { base64, scramClient } from "./scram-client.js";
import { settle } from "./settle.js";

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
/** The fan-out's clients: each logs in to an account of its own. */
const fanoutClients = 200;
const ratioTarget = 0.9;
// One word: NickServ REGISTER takes the password up to the first space.
const password = "bench-password-7351";
const defaultCost = "ln=15,r=8,p=1";
const cheapCost = "ln=10,r=8,p=1";
// Failed logins would be throttled after 5 per account and 20 per address a minute; none should fail, but a
// failure must show as such, not as a throttled rate.
const serverFlags = (dataDir: string): string[] => [
  "--history", "none", "--data-dir", dataDir, "--scrypt-cost", cheapCost,
  "--login-limit", "1000000/1m", "--login-limit-per-address", "1000000/1m", "--register-limit", "1000000/1m",
];

// The whole run is bounded: a stuck server must not hang CI (it takes about 3 minutes).
exitAfter(5);
pinSelf();

const tool = fileURLToPath(new URL("../bin/chat-server-account.js", import.meta.url));

/** `chat-server-account add` or NickServ said no. */
class AccountError extends Error {
  override readonly name = "AccountError";
}

/** Median ms of fn over count calls after one warm-up call. */
function timeHash(count: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

function scryptMs(cost: string, count: number): number {
  const fields = new Map(cost.split(",").map((part): [string, number] => [part.split("=")[0] ?? "", Number(part.split("=")[1])]));
  const N = 2 ** (fields.get("ln") ?? 15);
  const r = fields.get("r") ?? 8;
  // The server's own maxmem rule (passwords.ts): Node's default 32 MiB refuses ln=15,r=8.
  return timeHash(count, () => scryptSync(password, randomBytes(16), 32, { N, r, p: fields.get("p") ?? 1, maxmem: 256 * r * N * 2 }));
}

/** `chat-server-account add NAME`, the password on stdin. */
function addAccount(dataDir: string, name: string, cost: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tool, "add", name, "--data-dir", dataDir, "--scrypt-cost", cost], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new AccountError(`chat-server-account add ${name}: exit ${code}: ${stderr.trim()}`))));
    child.stdin.end(`${password}\n`);
  });
}

/** NickServ REGISTER of prefix0..: each connects as that nick, registers (at the server's --scrypt-cost) and quits. */
async function registerOverIrc(port: number, prefix: string, count: number): Promise<void> {
  const registerOne = async (nick: string): Promise<void> => {
    const client = await LineClient.open(port);
    try {
      client.send(`NICK ${nick}`);
      client.send(`USER ${nick} 0 * :bench`);
      await client.expect(/ 001 /);
      client.send(`PRIVMSG NickServ :REGISTER ${password}`);
      const [, said] = await client.expect(/^:NickServ!\S+ NOTICE \S+ :(.*)$/);
      if (said !== "Account created") throw new AccountError(`NickServ REGISTER ${nick}: ${said}`);
      await client.quit();
    } finally {
      client.socket.destroy();
    }
  };
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, k) => registerOne(`${prefix}${i + k}`)));
  }
}

/**
 * One login on a fresh connection: CAP LS 302, CAP REQ sasl, AUTHENTICATE (mechanism undefined:
 * none), NICK/USER, CAP END until 001, then QUIT. Resolves with the ms from connect to 001.
 */
async function loginOnce(port: number, nick: string, mechanism: string | undefined, account: string): Promise<number> {
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

interface Pass {
  name: string;
  cost: string;
  tag: string;
  mechanism: string | undefined;
  accounts: string[];
  /** The hash a login pays, and on which side. */
  hash: { ms: number; where: string } | undefined;
}

interface PassResult {
  logins: number;
  rate: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  serverBusy: number;
  selfCpuMs: number;
  failures: number;
  firstFailure: string | undefined;
}

/** `concurrency` clients logging in one after the other for warm-up + window: logins/s and CPU inside the window. */
async function loginPass(server: BenchServer, { tag, mechanism, accounts }: Pass): Promise<PassResult> {
  let running = true;
  let counting = false;
  let failures = 0;
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = 0; running; i++) {
      try {
        const ms = await loginOnce(server.port, `${tag}${worker}x${i}`, mechanism, accounts[worker % accounts.length] ?? "");
        if (counting) latencies.push(ms);
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
        await settle(100);
      }
    }
  });
  const snapshot = () => ({ at: performance.now(), server: cpuSeconds(server.pid), self: process.cpuUsage() });
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
  const latency = summarize(latencies);
  return {
    logins,
    rate: logins / seconds,
    p50: latency.p50,
    p99: latency.p99,
    serverCpuMs: ((end.server - start.server) * 1000) / Math.max(1, logins),
    serverBusy: (end.server - start.server) / seconds,
    selfCpuMs: (selfCpu * 1000) / Math.max(1, logins),
    failures,
    firstFailure,
  };
}

/** What one receiver of a fan-out run saw: messages with an account tag, messages without. */
interface Seen {
  tagged: boolean;
  untagged: boolean;
}

/**
 * The fan-out clients' registration: CAP LS 302, CAP REQ account-tag sasl for everyone, then for
 * logged-in runs SASL PLAIN as account `fan<index>`; NICK, USER, CAP END. One non-sending
 * receiver records whether the messages it got carried account tags.
 */
function fanoutRegistration(loggedIn: boolean, seen: Seen): Register {
  return async (client, index) => {
    client.send("CAP LS 302");
    await client.waitFor(/ LS :/);
    client.send("CAP REQ :account-tag sasl");
    const ack = await client.waitFor(/ (ACK|NAK) :/);
    if (!/ ACK :/.test(ack)) throw new AccountError(`${client.nick}: CAP REQ refused: ${ack.trim()}`);
    if (loggedIn) {
      client.send("AUTHENTICATE PLAIN");
      await client.waitFor(/AUTHENTICATE \+/);
      client.send(`AUTHENTICATE ${base64(`\0fan${index}\0${password}`)}`);
      const reply = await client.waitFor(/ 90[2-7] /);
      if (!/ 903 /.test(reply)) throw new AccountError(`${client.nick}: SASL PLAIN as fan${index} failed: ${reply.trim()}`);
    }
    client.send(`NICK ${client.nick}`);
    client.send(`USER ${client.nick} 0 * :bench`);
    client.send("CAP END");
    await client.waitFor(/ (376|422) /);
    if (index === 150) {
      client.onText = (text) => {
        if (text.includes("@account=fan")) seen.tagged = true;
        if (/(^|\n):b\d+!\S+ PRIVMSG /.test(text)) seen.untagged = true;
      };
    }
  };
}

interface FanoutRound {
  saturation: SaturationResult;
  paced: FanoutResult;
}

const dirs: string[] = [];
const servers: BenchServer[] = [];
const start = async (name: string, dataDir: string): Promise<BenchServer> => {
  const server = await startChatServer(serverFlags(dataDir), name);
  servers.push(server);
  return server;
};

async function main(): Promise<void> {
  const began = performance.now();
  // 1. What one hash costs in this process (on the load generator's core).
  const hashes = {
    default: scryptMs(defaultCost, quick ? 3 : 5),
    cheap: scryptMs(cheapCost, quick ? 20 : 50),
    pbkdf2: timeHash(quick ? 50 : 200, () => pbkdf2Sync(password, randomBytes(16), 4096, 32, "sha256")),
  };

  // 2. Accounts, before any server: 8 for each cost with the tool, 200 for the fan-out by NickServ REGISTER.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-logins-"));
  dirs.push(dataDir);
  const accountsOf = (prefix: string): string[] => Array.from({ length: concurrency }, (_, i) => `${prefix}${i}`);
  const costs = [
    { cost: defaultCost, label: `${defaultCost} (default)`, accounts: accountsOf("p15a"), hashMs: hashes.default },
    { cost: cheapCost, label: cheapCost, accounts: accountsOf("p10a"), hashMs: hashes.cheap },
  ];
  let toolMs = performance.now();
  for (const { cost, accounts } of costs) {
    for (let i = 0; i < accounts.length; i += 2) await Promise.all(accounts.slice(i, i + 2).map((name) => addAccount(dataDir, name, cost)));
  }
  toolMs = (performance.now() - toolMs) / (2 * concurrency);

  // 3. Logins per second on one server process.
  const passes: Pass[] = [
    { name: "no SASL (CAP LS, NICK/USER, CAP END)", cost: "", tag: "a", mechanism: undefined, accounts: [""], hash: undefined },
    ...costs.flatMap(({ label, accounts, hashMs }, c): Pass[] => [
      { name: "SASL PLAIN", cost: label, tag: `p${c}`, mechanism: "PLAIN", accounts, hash: { ms: hashMs, where: "server" } },
      { name: "SASL SCRAM-SHA-256", cost: label, tag: `s${c}`, mechanism: "SCRAM-SHA-256", accounts, hash: { ms: hashes.pbkdf2, where: "client" } },
    ]),
  ];
  const passResults: PassResult[] = [];
  const server = await start("logins", dataDir);
  let registerMs = performance.now();
  try {
    await registerOverIrc(server.port, "fan", fanoutClients);
    registerMs = (performance.now() - registerMs) / fanoutClients;
    for (const pass of passes) {
      passResults.push(await loginPass(server, pass));
      await settle(500);
    }
  } finally {
    await server.stop();
  }

  // 4. Fan-out, anonymous against logged in: a fresh server per run, the order alternating by round.
  const kinds = [
    { name: "anonymous", loggedIn: false, seen: { tagged: false, untagged: false } },
    { name: "logged in (SASL PLAIN)", loggedIn: true, seen: { tagged: false, untagged: false } },
  ];
  const order: string[] = [];
  const fanout = await runAlternating(
    kinds.map((kind) => ({
      name: kind.name,
      run: async (): Promise<FanoutRound> => {
        order.push(kind.name);
        const fresh = await start(kind.name, dataDir);
        try {
          const connect = tcpClients(fresh.port, { register: fanoutRegistration(kind.loggedIn, kind.seen) });
          const cpu = () => cpuSeconds(fresh.pid);
          // Saturation first, on the fresh process (as the fan-out bench), then the paced load on the same one.
          const saturation = await saturationRun(connect, { seconds: saturationSeconds, inFlight, cpu });
          await settle(500);
          const paced = await fanoutRun(connect, { seconds: pacedSeconds, rate: pacedRate, cpu });
          return { saturation, paced };
        } finally {
          await fresh.stop();
          await settle(500);
        }
      },
    })),
    rounds,
  );
  const [anonymous, loggedIn] = kinds.map((kind) => ({ ...kind, rounds: fanout.get(kind.name) ?? [] }));
  if (!anonymous || !loggedIn) throw new RangeError("two kinds of fan-out");
  const bestSaturation = (list: FanoutRound[]): SaturationResult | undefined => list.map((r) => r.saturation).reduce<SaturationResult | undefined>((a, b) => (a && a.delivered >= b.delivered ? a : b), undefined);
  const bestPaced = (list: FanoutRound[]): FanoutResult | undefined => list.map((r) => r.paced).reduce<FanoutResult | undefined>((a, b) => (a && a.p99 <= b.p99 ? a : b), undefined);

  console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores; Node ${process.version}; the run took ${fixed((performance.now() - began) / 1000, 0)} s`);
  console.log("\nOne hash with node:crypto in the bench process (core 0, median of 5 to 200 calls), as the server computes it for PLAIN (scrypt, server side) and a SCRAM client for each login (PBKDF2, client side):\n");
  console.log("| hash | ms per hash | where a login pays it |");
  console.log("| --- | ---: | --- |");
  console.log(`| scrypt ${defaultCost} (default) | ${fixed(hashes.default, 2)} | server, SASL PLAIN (and NickServ IDENTIFY) |`);
  console.log(`| scrypt ${cheapCost} | ${fixed(hashes.cheap, 2)} | server, SASL PLAIN |`);
  console.log(`| PBKDF2-HMAC-SHA-256, 4096 iterations | ${fixed(hashes.pbkdf2, 2)} | client, SASL SCRAM-SHA-256 (the server keeps StoredKey/ServerKey: two HMACs and a SHA-256) |`);
  console.log(`\nAccounts: ${concurrency} per cost with \`chat-server-account add\` (${fixed(toolMs, 0)} ms per account, a process each), ${fanoutClients} for the fan-out by NickServ REGISTER at ${cheapCost} (${fixed(registerMs)} ms per account over the socket).`);
  console.log(`\nLogins per second against one chat-server pinned to core 1 (SQLite accounts, login limits 1000000/1m): ${concurrency} clients, each doing one login after the other on a fresh connection (CAP LS 302, CAP REQ sasl, AUTHENTICATE, NICK/USER, CAP END until 001, QUIT and the server's close), ${loginSeconds} s window after ${loginWarmup} s warm-up. "Hash share": the hash's ms x logins/s, the part of one core it takes on the side that computes it. "Logins/s one server core could take": 1000 / server CPU ms per login.\n`);
  console.log("| login | account's scrypt cost | logins/s | p50 ms | p99 ms | server CPU ms per login | server core busy | logins/s one server core could take | load generator CPU ms per login | hash share | failed |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [i, pass] of passes.entries()) {
    const r = passResults[i];
    if (!r) continue;
    const share = pass.hash ? `${fixed((pass.hash.ms * r.rate) / 10, 0)} % of the ${pass.hash.where}'s core` : "";
    console.log(`| ${pass.name} | ${pass.cost || "n/a"} | ${fixed(r.rate)} | ${fixed(r.p50)} | ${fixed(r.p99)} | ${fixed(r.serverCpuMs, 2)} | ${fixed(r.serverBusy * 100, 0)} % | ${int(1000 / r.serverCpuMs)} | ${fixed(r.selfCpuMs, 2)} | ${share} | ${r.failures} |`);
    if (r.firstFailure) console.log(`\n${pass.name} ${pass.cost}: first failure: ${r.firstFailure}`);
  }

  console.log(`\nFan-out: ${fanoutClients} clients in #bench, every one with CAP account-tag and sasl; logged in: each also SASL PLAIN as an account of its own (so every message reaches them with @account=). Fresh server per run, pinned to core 1, same flags and data dir; ${rounds} rounds, the order alternating.`);
  console.log(`\nSaturation: 10 senders, no pacing, at most ${inFlight} messages each unacknowledged, ${saturationSeconds} s window; the round with the most deliveries/s kept; then paced: 10 senders x ${pacedRate} msg/s, ${pacedSeconds} s window, on the same process; the round with the lowest p99 kept:\n`);
  console.log("| clients | saturation delivered/s | undelivered after the drain | p50 ms | p99 ms | server CPU s per million deliveries | load generator CPU | clients cut | paced delivered/s | paced p99 ms | paced CPU s per million |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const kind of [anonymous, loggedIn]) {
    const s = bestSaturation(kind.rounds);
    const p = bestPaced(kind.rounds);
    if (s && p) console.log(`| ${kind.name} | ${int(s.delivered)} | ${s.lost} of ${int(s.expected)} | ${fixed(s.p50, 2)} | ${fixed(s.p99, 2)} | ${fixed(s.cpuPerMillion, 3)} | ${fixed(s.generatorCpu, 2)} | ${s.cut} | ${int(p.delivered)} | ${fixed(p.p99, 2)} | ${fixed(p.cpuPerMillion, 3)} |`);
  }
  console.log(`\nEvery round's saturation delivered/s, in the order run: ${order.map((name, i) => `${name} ${int(fanout.get(name)?.[Math.floor(i / 2)]?.saturation.delivered ?? Number.NaN)}`).join(", ")}`);

  const delivered = (list: FanoutRound[]): number[] => list.map((r) => r.saturation.delivered);
  const cpuPerMillion = (list: FanoutRound[]): number[] => list.map((r) => r.saturation.cpuPerMillion);
  const deliveredRatio = ratio(delivered(loggedIn.rounds), delivered(anonymous.rounds));
  console.log(`\nlogged in / anonymous: saturation delivered/s ${times(deliveredRatio.best, 3)} (per round ${times(deliveredRatio.min, 3)}-${times(deliveredRatio.max, 3)})`);

  const failures = passResults.reduce((sum, r) => sum + r.failures, 0);
  const lost = [anonymous, loggedIn].reduce((sum, kind) => sum + kind.rounds.reduce((n, r) => n + r.saturation.lost + r.paced.lost, 0), 0);
  const tagsRight = loggedIn.seen.tagged && !loggedIn.seen.untagged && !anonymous.seen.tagged && anonymous.seen.untagged;
  const metrics: Metric[] = [
    { name: `scrypt ${defaultCost} hash (default cost)`, unit: "ms", value: hashes.default, note: "node:crypto in the bench process" },
    { name: `scrypt ${cheapCost} hash`, unit: "ms", value: hashes.cheap },
    { name: "PBKDF2-HMAC-SHA-256 4096 iterations (SCRAM client)", unit: "ms", value: hashes.pbkdf2 },
    ...passes.flatMap((pass, i): Metric[] => {
      const r = passResults[i];
      const label = pass.cost ? `${pass.name}, ${pass.cost}` : pass.name;
      return r
        ? [
            { name: `logins/s, ${label}`, unit: "logins/s", value: r.rate, note: `${concurrency} clients, p99 ${fixed(r.p99)} ms` },
            { name: `server CPU per login, ${label}`, unit: "ms", value: r.serverCpuMs },
          ]
        : [];
    }),
    { name: "failed logins", unit: "logins", value: failures, target: { max: 0 } },
    {
      name: "account tags reached logged-in receivers only",
      unit: "checks",
      value: tagsRight ? 1 : 0,
      target: { min: 1 },
      note: `logged in: ${loggedIn.seen.tagged ? "tagged" : "no tag"}${loggedIn.seen.untagged ? " (some untagged)" : ""}; anonymous: ${anonymous.seen.tagged ? "tagged" : "untagged"}`,
    },
    { name: "fan-out undelivered messages, all rounds", unit: "msg", value: lost, target: { max: 0 } },
    {
      name: "saturation delivered/s, every client logged in",
      unit: "msg/s",
      value: Math.max(...delivered(loggedIn.rounds)),
      alternative: { name: "anonymous", value: Math.max(...delivered(anonymous.rounds)) },
      ratio: deliveredRatio,
      target: { min: ratioTarget * Math.max(...delivered(anonymous.rounds)) },
      note: `target: ${ratioTarget}x anonymous; best of ${rounds} alternating rounds on fresh servers`,
    },
    {
      name: "server CPU per million deliveries at saturation, logged in",
      unit: "s",
      value: Math.min(...cpuPerMillion(loggedIn.rounds)),
      alternative: { name: "anonymous", value: Math.min(...cpuPerMillion(anonymous.rounds)) },
      ratio: ratio(cpuPerMillion(loggedIn.rounds), cpuPerMillion(anonymous.rounds), { better: "lower" }),
    },
  ];
  finish("logins", "bench:logins", metrics);
}

try {
  await main();
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
// Sockets still closing or a stray timer must not keep the run alive.
process.exit();
