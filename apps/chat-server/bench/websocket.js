// IRC over WebSocket against TCP in one run, on the same chat-server build: the channel fan-out of
// load.js (200 clients in #bench, 10 senders; saturation, then paced) with every client a
// WebSocket client (the ws package, text.ircv3.net) or every one a TCP client, fresh servers per
// run and the order alternating by round; and the memory of 2,000 idle registered clients of each kind.
// Usage: pnpm --filter @netlab/chat-server bench:websocket   (BENCH_QUICK=1 for a short run)
import net from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { freePort, waitForPort } from "@netlab/test-kit";
import WebSocket from "ws";
import { cpuOf, exitAfter, pinSelf, rssOf, startChatServer } from "./peers.js";

const quick = process.env.BENCH_QUICK === "1";
const rounds = quick ? 1 : 3;
const clientCount = 200;
const senderCount = 10;
const sampleCount = 20;
const saturationSeconds = quick ? 2 : 4;
const pacedSeconds = quick ? 2 : 3;
const pacedRate = 400;
const inFlight = 64;
const idleClients = quick ? 500 : 2_000;
const ratioTarget = 0.8;
const padding = "x".repeat(32);

// The whole run is bounded: a stuck server must not hang CI (it takes about 2 minutes).
exitAfter(4);
pinSelf();

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "n/a");
const percentile = (sorted, p) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/**
 * What both kinds of client share: before counting, the text received (waitFor); while
 * counting, a count of lines and, for the sampled clients and the acknowledging receiver, the
 * text of whole lines (`measure`), exactly as load.js reads it.
 */
class Client {
  constructor(nick) {
    this.nick = nick;
    this.text = "";
    this.waiting = undefined;
    this.counting = false;
    this.sampled = false;
    this.lines = 0;
    this.latencies = [];
    /** Called with the text of whole lines while counting (the saturation run's acknowledging receiver). */
    this.onText = undefined;
    /** Set when the server cut the connection before we closed it. */
    this.cut = false;
  }

  /** Text before counting starts (registration, JOIN). */
  setupText(text) {
    this.text += text;
    if (this.waiting && this.waiting.pattern.test(this.text)) {
      const { resolve } = this.waiting;
      const seen = this.text;
      this.waiting = undefined;
      this.text = "";
      resolve(seen);
    }
  }

  /** Whole lines (each ending in LF) received at `now`: latency marks " :T <sent> ". */
  measure(text, now) {
    if (this.onText) this.onText(text);
    if (!this.sampled) return;
    let mark = 0;
    while ((mark = text.indexOf(" :T ", mark)) >= 0) {
      mark += 4;
      const sent = Number.parseFloat(text.slice(mark, text.indexOf(" ", mark)));
      if (Number.isFinite(sent)) this.latencies.push(now - sent);
    }
  }

  /** Resolves, with the text read up to and including it, once pattern matches what came since the last match. */
  waitFor(pattern, timeoutMs = 30_000) {
    if (pattern.test(this.text)) {
      const seen = this.text;
      this.text = "";
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.nick}: no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = { pattern, resolve: (seen) => (clearTimeout(timer), resolve(seen)) };
    });
  }
}

/** A TCP client: lines end in CR LF; while counting, LFs are counted in each chunk (as load.js does). */
class TcpClient extends Client {
  static async open(port, nick) {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    socket.setNoDelay(true);
    return new TcpClient(socket, nick);
  }

  constructor(socket, nick) {
    super(nick);
    this.socket = socket;
    this.partial = "";
    socket.on("data", (chunk) => {
      if (!this.counting) return this.setupText(chunk.toString("latin1"));
      let from = 0;
      let at;
      while ((at = chunk.indexOf(10, from)) >= 0) {
        this.lines++;
        from = at + 1;
      }
      if (!this.sampled && !this.onText) return;
      const now = performance.now();
      const text = this.partial + chunk.toString("latin1");
      const cut = text.lastIndexOf("\n");
      this.partial = text.slice(cut + 1);
      if (cut >= 0) this.measure(text.slice(0, cut + 1), now);
    });
    // We only ever destroy() our sockets, so an end or a reset came from the server.
    socket.on("error", () => (this.cut = true));
    socket.on("end", () => (this.cut = true));
  }

  send(line) {
    this.socket.write(line + "\r\n");
  }

  /** Several lines in one write. */
  sendAll(lines) {
    if (lines.length) this.socket.write(lines.join("\r\n") + "\r\n");
  }

  startCounting() {
    this.counting = true;
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * A WebSocket client of the ws package, subprotocol text.ircv3.net: one line per message. It
 * connects, registers and joins through ws; while counting, a tap on its socket counts the
 * server's frames (and gives the sampled clients their lines' text) instead of ws's 'message'
 * events, which cost the load generator's core about 0.5 us a message: with 200 receivers the
 * generator, not the server, would set the saturation rate. The tap is put on after the JOIN
 * burst has been read (no frame is half-read then); the frames stay the server's own.
 */
class WsClient extends Client {
  static async open(port, nick) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ["text.ircv3.net"], { perMessageDeflate: false });
    const client = new WsClient(ws, nick);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    if (ws.protocol !== "text.ircv3.net") throw new Error(`${nick}: the server chose subprotocol "${ws.protocol}"`);
    ws._socket.setNoDelay(true);
    return client;
  }

  constructor(ws, nick) {
    super(nick);
    this.ws = ws;
    /** Unread bytes of the current frame's payload (frames of clients that need no text are skipped). */
    this.skip = 0;
    this.pending = Buffer.alloc(0);
    ws.on("message", (data) => this.setupText(data.toString("latin1") + "\n"));
    ws.on("error", () => (this.cut = true));
    ws.on("close", () => (this.cut = true));
  }

  get socket() {
    return this.ws._socket;
  }

  send(line) {
    this.ws.send(line);
  }

  /** Several messages, one line each, in one write. */
  sendAll(lines) {
    const socket = this.ws._socket;
    socket.cork();
    for (const line of lines) this.ws.send(line);
    socket.uncork();
  }

  startCounting() {
    this.counting = true;
    const socket = this.ws._socket;
    for (const listener of socket.listeners("data")) socket.off("data", listener);
    const text = this.sampled || Boolean(this.onText);
    socket.on("data", (chunk) => (text ? this.framesWithText(chunk) : this.countFrames(chunk)));
    // An end or a reset came from the server (ws's own listeners see those still).
    socket.on("end", () => (this.cut = true));
  }

  /** Counts the server's (unmasked) frames, skipping their payloads. */
  countFrames(chunk) {
    let buf = chunk;
    if (this.pending.length) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = Buffer.alloc(0);
    }
    let at = Math.min(this.skip, buf.length);
    this.skip -= at;
    while (at < buf.length) {
      if (buf.length - at < 2) break;
      let length = buf[at + 1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - at < 4) break;
        length = buf.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - at < 10) break;
        length = Number(buf.readBigUInt64BE(at + 2));
        header = 10;
      }
      if ((buf[at] & 0x0f) <= 2) this.lines++;
      const end = at + header + length;
      if (end > buf.length) {
        this.skip = end - buf.length;
        at = buf.length;
        break;
      }
      at = end;
    }
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at));
  }

  /** Counts the frames and hands their payloads on as lines (whole frames only). */
  framesWithText(chunk) {
    const now = performance.now();
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    let text = "";
    for (;;) {
      if (buf.length - at < 2) break;
      let length = buf[at + 1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - at < 4) break;
        length = buf.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - at < 10) break;
        length = Number(buf.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (buf.length - at < header + length) break;
      if ((buf[at] & 0x0f) <= 2) {
        this.lines++;
        text += buf.toString("latin1", at + header, at + header + length) + "\n";
      }
      at += header + length;
    }
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    if (text) this.measure(text, now);
  }

  close() {
    this.ws.terminate();
  }
}

const kinds = {
  tcp: { name: "TCP", open: TcpClient.open, port: (server) => server.port },
  ws: { name: "WebSocket (text.ircv3.net)", open: WsClient.open, port: (server) => server.wsPort },
};

/** count registered clients of a kind, batch at a time. */
async function connectClients(kind, server, count, prefix, batch = 50) {
  const clients = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let k = i; k < Math.min(count, i + batch); k++) {
      group.push((async () => {
        const client = await kind.open(kind.port(server), `${prefix}${k}`);
        client.send(`NICK ${client.nick}`);
        client.send(`USER ${client.nick} 0 * :bench`);
        await client.waitFor(/ (376|422) /);
        return client;
      })());
    }
    clients.push(...(await Promise.all(group)));
  }
  return clients;
}

const closeClients = (clients) => clients.forEach((client) => client.close());

/** Every client joins #bench; then all count lines, and the `sampleCount` after the senders time them. */
async function joinBench(clients) {
  for (const client of clients) {
    client.send("JOIN #bench");
    await client.waitFor(/ 366 /);
  }
  // Let the JOIN storm settle before counting (and before the WebSocket clients' tap goes on).
  await settle(500);
  for (const [i, client] of clients.entries()) {
    client.sampled = i >= senderCount && i < senderCount + sampleCount;
    client.startCounting();
  }
}

const countLines = (clients) => clients.reduce((sum, client) => sum + client.lines, 0);
const latenciesOf = (clients) => clients.flatMap((client) => client.latencies).sort((a, b) => a - b);

/** load.js's saturationRun: senders with no pacing, each at most `inFlight` messages ahead of one receiver. */
async function saturationRun(kind, server) {
  const clients = await connectClients(kind, server, clientCount, "b");
  try {
    const talkers = clients.slice(0, senderCount).map((client, index) => ({ client, index, sent: 0, acked: 0 }));
    let sending = true;
    let outOfOrder = 0;
    const topUp = (talker) => {
      const lines = [];
      for (; sending && talker.sent - talker.acked < inFlight; talker.sent++) {
        lines.push(`PRIVMSG #bench :T ${performance.now().toFixed(3)} n0 S ${talker.index} ${talker.sent} ${padding}`);
      }
      talker.client.sendAll(lines);
    };
    // "S <sender> <seq>" acknowledges every message of that sender up to seq.
    const receiver = clients[clientCount - 1];
    receiver.onText = (text) => {
      for (let mark = text.indexOf(" S "); mark >= 0; mark = text.indexOf(" S ", mark)) {
        mark += 3;
        const space = text.indexOf(" ", mark);
        const talker = talkers[Number(text.slice(mark, space))];
        const seq = Number(text.slice(space + 1, text.indexOf(" ", space + 1)));
        if (!talker || !Number.isInteger(seq)) continue;
        if (seq !== talker.acked) outOfOrder++;
        talker.acked = Math.max(talker.acked, seq + 1);
      }
      for (const talker of talkers) topUp(talker);
    };
    await joinBench(clients);
    const snapshot = () => ({ at: performance.now(), lines: countLines(clients), cpu: cpuOf(server.pid), self: process.cpuUsage() });
    for (const talker of talkers) topUp(talker);
    await settle(1_000);
    const start = snapshot();
    for (const client of clients) client.latencies.length = 0;
    await settle(saturationSeconds * 1000);
    const end = snapshot();
    sending = false;
    const sent = talkers.reduce((sum, talker) => sum + talker.sent, 0);
    const expected = sent * (clientCount - 1);
    const deadline = performance.now() + 10_000;
    let last = -1;
    while (countLines(clients) < expected && countLines(clients) !== last && performance.now() < deadline) {
      last = countLines(clients);
      await settle(500);
    }
    const latencies = latenciesOf(clients);
    const seconds = (end.at - start.at) / 1000;
    const windowLines = end.lines - start.lines;
    const selfCpu = (end.self.user + end.self.system - start.self.user - start.self.system) / 1e6;
    return {
      delivered: windowLines / seconds,
      cpuPerMillion: ((end.cpu - start.cpu) * 1e6) / Math.max(1, windowLines),
      serverBusy: (end.cpu - start.cpu) / seconds,
      generatorCpu: selfCpu / seconds,
      lost: Math.max(0, expected - countLines(clients)),
      expected,
      outOfOrder,
      cut: clients.filter((client) => client.cut).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
    };
  } finally {
    closeClients(clients);
  }
}

/** load.js's fanoutRun: each sender `pacedRate` messages/s, a warm-up second, then the window. */
async function pacedRun(kind, server) {
  const clients = await connectClients(kind, server, clientCount, "p");
  try {
    await joinBench(clients);
    const talkers = clients.slice(0, senderCount).map((client) => ({ client, due: 0 }));
    let sent = 0;
    const warmup = 1;
    const started = performance.now();
    let start;
    let end;
    const snapshot = () => ({ at: performance.now(), lines: countLines(clients), cpu: cpuOf(server.pid) });
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed >= warmup + pacedSeconds) {
          clearInterval(timer);
          end = snapshot();
          resolve();
          return;
        }
        if (!start && elapsed >= warmup) {
          start = snapshot();
          for (const client of clients) client.latencies.length = 0;
        }
        const due = Math.floor(elapsed * pacedRate);
        for (const talker of talkers) {
          const lines = [];
          for (; talker.due < due; talker.due++, sent++) lines.push(`PRIVMSG #bench :T ${performance.now().toFixed(3)} n0 ${padding}`);
          talker.client.sendAll(lines);
        }
      }, 5);
    });
    // Whatever is still in flight arrives now; then count what never came.
    await settle(2_000);
    const expected = sent * (clientCount - 1);
    const latencies = latenciesOf(clients);
    const windowLines = end.lines - start.lines;
    return {
      offered: senderCount * pacedRate * (clientCount - 1),
      delivered: windowLines / ((end.at - start.at) / 1000),
      cpuPerMillion: ((end.cpu - start.cpu) * 1e6) / Math.max(1, windowLines),
      lost: Math.max(0, expected - countLines(clients)),
      expected,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
    };
  } finally {
    closeClients(clients);
  }
}

/** RSS growth per client with `idleClients` registered and silent, on a fresh process. */
async function idleMemory(kind, server) {
  await settle(1_000);
  const before = rssOf(server.pid);
  const clients = await connectClients(kind, server, idleClients, "i");
  await settle(3_000);
  const after = rssOf(server.pid);
  closeClients(clients);
  return { before, after, perClient: (after - before) / idleClients };
}

const servers = [];
/** Every fan-out run, in the order run. */
const history = [];
/** A fresh chat-server (pinned to core 1 by peers.js) with its WebSocket listener on a free port. */
async function start(name) {
  const wsPort = await freePort();
  const server = await startChatServer(["--history", "none", "--websocket-port", String(wsPort), "--no-web-client"], name);
  servers.push(server);
  await waitForPort(wsPort);
  return { ...server, wsPort };
}

async function main() {
  const began = performance.now();
  const results = Object.fromEntries(Object.entries(kinds).map(([key, kind]) => [key, { kind, rounds: [], saturation: undefined, paced: undefined, memory: undefined }]));
  const order = Object.keys(kinds);

  // Memory first, each kind on a fresh process.
  for (const key of order) {
    const server = await start(`memory ${key}`);
    try {
      results[key].memory = await idleMemory(kinds[key], server);
    } finally {
      await server.stop();
    }
    await settle(500);
  }

  // Fan-out: a fresh process per kind and round (saturation, then paced on the same one), the order alternating.
  for (let round = 0; round < rounds; round++) {
    for (const key of round % 2 ? [...order].reverse() : order) {
      const result = results[key];
      const server = await start(`${key} round ${round + 1}`);
      try {
        const saturation = await saturationRun(result.kind, server);
        await settle(500);
        const paced = await pacedRun(result.kind, server);
        result.rounds.push({ round: round + 1, saturation, paced });
        history.push({ round: round + 1, r: result, saturation, paced });
        if (!result.saturation || saturation.delivered > result.saturation.delivered) result.saturation = saturation;
        if (!result.paced || paced.p99 < result.paced.p99) result.paced = paced;
      } finally {
        await server.stop();
      }
      await settle(500);
    }
  }
  report(results, (performance.now() - began) / 1000);
}

function report(results, seconds) {
  const { tcp, ws } = results;
  const all = [tcp, ws];
  console.log(`\nload average at the end: ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} on ${os.cpus().length} cores; Node ${process.version}; the run took ${fmt(seconds, 0)} s`);
  console.log(`\nFan-out: ${clientCount} clients in #bench, all TCP or all WebSocket (ws package, text.ircv3.net, one line per message), ${senderCount} of them sending; fresh chat-server per run (\`--history none --websocket-port P --no-web-client\`, pinned to core 1), the load generator on core 0; ${rounds} rounds, the order alternating.`);
  console.log(`\nSaturation: ${senderCount} senders, no pacing, at most ${inFlight} messages each that one receiver has not seen, ${saturationSeconds} s window after 1 s; the round with the most deliveries/s kept:\n`);
  console.log("| clients | delivered/s | undelivered after the drain | p50 ms | p99 ms | max ms | server CPU s per million deliveries | server core busy | load generator CPU, share of its core | clients cut |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of all) {
    const f = r.saturation;
    console.log(`| ${r.kind.name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.max, 1)} | ${fmt(f.cpuPerMillion, 3)} | ${fmt(f.serverBusy * 100, 0)} % | ${fmt(f.generatorCpu, 2)} | ${f.cut} |`);
  }
  console.log(`\nPaced: ${senderCount} senders x ${pacedRate} msg/s (${int(senderCount * pacedRate * (clientCount - 1))} deliveries/s offered), ${pacedSeconds} s window after 1 s, on the same process after the saturation pass; the round with the lowest p99 kept:\n`);
  console.log("| clients | delivered/s | undelivered 2 s after the end | p50 ms | p99 ms | max ms | server CPU s per million deliveries |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of all) {
    const f = r.paced;
    console.log(`| ${r.kind.name} | ${int(f.delivered)} | ${f.lost} of ${int(f.expected)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.max, 1)} | ${fmt(f.cpuPerMillion, 3)} |`);
  }
  console.log("\nEvery round, in the order run:\n");
  console.log("| round | clients | saturation delivered/s | saturation p99 ms | saturation CPU s per million | paced p99 ms | paced CPU s per million |");
  console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const { round, r, saturation: s, paced: p } of history) {
    console.log(`| ${round} | ${r.kind.name} | ${int(s.delivered)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuPerMillion, 3)} | ${fmt(p.p99, 2)} | ${fmt(p.cpuPerMillion, 3)} |`);
  }
  console.log(`\nMemory: ${int(idleClients)} idle registered clients of each kind on a fresh process (RSS of the server before connecting them and 3 s after the last registered):\n`);
  console.log("| clients | RSS before | RSS with the idle clients | bytes per idle client |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const r of all) console.log(`| ${r.kind.name} | ${fmt(r.memory.before / 2 ** 20)} MiB | ${fmt(r.memory.after / 2 ** 20)} MiB | ${int(r.memory.perClient)} |`);

  const ratio = ws.saturation.delivered / tcp.saturation.delivered;
  const mean = (r) => r.rounds.reduce((sum, x) => sum + x.saturation.delivered, 0) / r.rounds.length;
  console.log(`\nWebSocket / TCP: saturation delivered/s ${fmt(ratio, 3)}x (best rounds; mean of rounds ${fmt(mean(ws) / mean(tcp), 3)}x), server CPU per delivery ${fmt(ws.saturation.cpuPerMillion / tcp.saturation.cpuPerMillion, 2)}x at saturation and ${fmt(ws.paced.cpuPerMillion / tcp.paced.cpuPerMillion, 2)}x paced, saturation p99 ${fmt(ws.saturation.p99 / tcp.saturation.p99, 2)}x, paced p99 ${fmt(ws.paced.p99 / tcp.paced.p99, 2)}x, memory per idle client ${fmt(ws.memory.perClient / tcp.memory.perClient, 2)}x (${int(ws.memory.perClient - tcp.memory.perClient)} bytes more)`);

  const lost = all.reduce((sum, r) => sum + r.rounds.reduce((n, x) => n + x.saturation.lost + x.paced.lost, 0), 0);
  const outOfOrder = all.reduce((sum, r) => sum + r.rounds.reduce((n, x) => n + x.saturation.outOfOrder, 0), 0);
  const checks = [
    { target: "every fan-out message delivered, in each sender's order (all rounds)", value: `${lost} undelivered, ${outOfOrder} out of order`, ok: lost === 0 && outOfOrder === 0 },
    { target: `saturation delivered/s WebSocket >= ${ratioTarget}x TCP`, value: `${fmt(ratio, 3)}x (${int(ws.saturation.delivered)} vs ${int(tcp.saturation.delivered)}/s)`, ok: ratio >= ratioTarget },
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
}
// Sockets still closing or a stray timer must not keep the run alive.
process.exit(process.exitCode ?? 0);
