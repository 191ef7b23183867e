// Load generator: many IRC clients in this process, counting deliveries and timing a sample.
import net from "node:net";
import { performance } from "node:perf_hooks";
import { percentile } from "@netlab/bench-kit";

/** One benchmark connection: registers, joins, then counts lines (and, if sampled, times them). */
class BenchClient {
  constructor(socket, nick, node = 0) {
    this.socket = socket;
    this.nick = nick;
    /** Which server (cluster node) this client is connected to. */
    this.node = node;
    /** Latencies of messages sent through another node. */
    this.crossLatencies = [];
    this.text = "";
    this.waiting = undefined;
    this.counting = false;
    this.sampled = false;
    this.lines = 0;
    this.latencies = [];
    this.partial = "";
    /** Called with every chunk while counting (the saturation run's acknowledging receiver). */
    this.onChunk = undefined;
    /** Set when the server cut the connection (a SendQ limit, say) before we closed it. */
    this.cut = false;
    socket.on("data", (chunk) => this.onData(chunk));
    // We only ever destroy() our sockets, so an end or a reset came from the server.
    socket.on("error", () => (this.cut = true));
    socket.on("end", () => (this.cut = true));
  }

  onData(chunk) {
    if (!this.counting) {
      this.text += chunk.toString("latin1");
      if (this.waiting && this.waiting.pattern.test(this.text)) {
        const { resolve } = this.waiting;
        const text = this.text;
        this.waiting = undefined;
        this.text = "";
        resolve(text);
      }
      return;
    }
    let from = 0;
    let at;
    while ((at = chunk.indexOf(10, from)) >= 0) {
      this.lines++;
      from = at + 1;
    }
    if (this.onChunk) this.onChunk(chunk);
    if (!this.sampled) return;
    const now = performance.now();
    const text = this.partial + chunk.toString("latin1");
    const cut = text.lastIndexOf("\n");
    this.partial = text.slice(cut + 1);
    let mark = 0;
    while ((mark = text.indexOf(" :T ", mark)) >= 0 && mark < cut) {
      mark += 4;
      const space = text.indexOf(" ", mark);
      const sent = Number.parseFloat(text.slice(mark, space));
      if (!Number.isFinite(sent)) continue;
      this.latencies.push(now - sent);
      // "T <time> n<node>": the sender's node.
      if (text[space + 1] === "n" && Number(text[space + 2]) !== this.node) this.crossLatencies.push(now - sent);
    }
  }

  /** Resolves, with the text read up to and including it, once pattern matches what came since the last match. */
  waitFor(pattern, timeoutMs = 30_000) {
    if (pattern.test(this.text)) {
      const text = this.text;
      this.text = "";
      return Promise.resolve(text);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.nick}: no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = { pattern, resolve: (text) => (clearTimeout(timer), resolve(text)) };
    });
  }

  send(line) {
    this.socket.write(line + "\r\n");
  }
}

/** The registration every client makes unless told otherwise: NICK and USER, then the end of the MOTD. */
async function nickUser(client) {
  client.send(`NICK ${client.nick}`);
  client.send(`USER ${client.nick} 0 * :bench`);
  await client.waitFor(/ (376|422) /);
}

async function connectOne(port, nick, node, register = nickUser, index = 0) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.setNoDelay(true);
  const client = new BenchClient(socket, nick, node);
  await register(client, index);
  return client;
}

/**
 * Opens count registered clients, batch at a time (ngircd's listen backlog is 10). `register`,
 * if given, replaces NICK/USER: called with each client and its index, it resolves once the
 * client is registered (CAP and SASL first, say).
 */
export async function connectClients(port, count, prefix, batch = 10, node = 0, register = undefined) {
  const clients = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let k = i; k < Math.min(count, i + batch); k++) group.push(connectOne(port, `${prefix}${k}`, node, register, k));
    clients.push(...(await Promise.all(group)));
  }
  return clients;
}

export function closeClients(clients) {
  for (const client of clients) client.socket.destroy();
}

/** count clients spread evenly over ports (cluster nodes), interleaved so senders and samples are too. */
async function connectSpread(ports, count) {
  const groups = await Promise.all(ports.map((port, node) => connectClients(port, Math.ceil((count - node) / ports.length), `b${node}x`, 10, node)));
  const clients = [];
  for (let i = 0; clients.length < count; i++) for (const group of groups) if (group[i]) clients.push(group[i]);
  return clients;
}

/** Every client joins #bench; then all count lines, and the `sample` after the senders time them. */
async function joinBench(clients, senders, sample) {
  for (const client of clients) {
    client.send("JOIN #bench");
    await client.waitFor(/ 366 /);
  }
  // Let the JOIN storm settle before counting.
  await settle(500);
  for (const [i, client] of clients.entries()) {
    client.counting = true;
    client.sampled = i >= senders && i < senders + sample;
  }
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 200 clients in one channel, `senders` of them each sending `rate` messages/s for
 * `seconds` after a warm-up: delivered messages/s, latency percentiles, messages lost.
 * `port` may be a list (cluster nodes): clients are spread over them, and latencies of
 * messages that crossed nodes are reported apart (crossP50, crossP99).
 */
export async function fanoutRun(port, { clients: count = 200, senders = 10, rate = 400, seconds = 8, warmup = 1, sample = 20, cpu = () => 0, register = undefined } = {}) {
  const clients = Array.isArray(port) ? await connectSpread(port, count) : await connectClients(port, count, "b", 10, 0, register);
  try {
    await joinBench(clients, senders, sample);
    const talkers = clients.slice(0, senders);
    const padding = "x".repeat(32);
    let sent = 0;
    const started = performance.now();
    const total = warmup + seconds;
    let windowStart = { at: 0, lines: 0, cpu: 0 };
    let windowEnd = { at: 0, lines: 0, cpu: 0 };
    const countLines = () => clients.reduce((sum, client) => sum + client.lines, 0);
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed >= total) {
          clearInterval(timer);
          windowEnd = { at: performance.now(), lines: countLines(), cpu: cpu() };
          resolve();
          return;
        }
        if (!windowStart.at && elapsed >= warmup) {
          windowStart = { at: performance.now(), lines: countLines(), cpu: cpu() };
          for (const client of clients) client.latencies.length = client.crossLatencies.length = 0;
        }
        const due = Math.floor(elapsed * rate);
        for (const talker of talkers) {
          talker.due ??= 0;
          while (talker.due < due) {
            talker.send(`PRIVMSG #bench :T ${performance.now().toFixed(3)} n${talker.node} ${padding}`);
            talker.due++;
            sent++;
          }
        }
      }, 5);
    });
    // Whatever is still in flight arrives now; then count what never came.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const received = countLines();
    const expected = sent * (count - 1);
    const latencies = clients.flatMap((client) => client.latencies).sort((a, b) => a - b);
    const cross = clients.flatMap((client) => client.crossLatencies).sort((a, b) => a - b);
    const windowSeconds = (windowEnd.at - windowStart.at) / 1000;
    return {
      offered: (senders * rate * (count - 1)),
      delivered: (windowEnd.lines - windowStart.lines) / windowSeconds,
      // Server CPU seconds per million deliveries: what the work costs, whatever else runs on the machine.
      cpuPerMillion: ((windowEnd.cpu - windowStart.cpu) * 1e6) / Math.max(1, windowEnd.lines - windowStart.lines),
      lost: Math.max(0, expected - received),
      expected,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
      crossP50: percentile(cross, 50),
      crossP99: percentile(cross, 99),
    };
  } finally {
    closeClients(clients);
  }
}

/**
 * Saturation: 200 clients in one channel, `senders` of them sending with no pacing, each
 * keeping at most `inFlight` messages that one designated receiver (the last client, no
 * sender) has not yet seen. Deliveries/s inside the window after a warm-up, latency
 * percentiles, and what never arrived once sending stopped and the channel drained.
 */
export async function saturationRun(port, { clients: count = 200, senders = 10, inFlight = 64, seconds = 8, warmup = 1, sample = 20, cpu = () => 0, register = undefined } = {}) {
  const clients = await connectClients(port, count, "b", 10, 0, register);
  try {
    await joinBench(clients, senders, sample);
    const talkers = clients.slice(0, senders).map((client, index) => ({ client, index, sent: 0, acked: 0 }));
    const padding = "x".repeat(32);
    let sending = true;
    let outOfOrder = 0;
    // One write per top-up: the load generator's core is shared by 200 readers.
    const topUp = (talker) => {
      let lines = "";
      for (; sending && talker.sent - talker.acked < inFlight; talker.sent++) {
        lines += `PRIVMSG #bench :T ${performance.now().toFixed(3)} n0 S ${talker.index} ${talker.sent} ${padding}\r\n`;
      }
      if (lines) talker.client.socket.write(lines);
    };
    // "S <sender> <seq>" acknowledges every message of that sender up to seq (TCP keeps each sender's order).
    const receiver = clients[count - 1];
    let partial = "";
    receiver.onChunk = (chunk) => {
      const text = partial + chunk.toString("latin1");
      const cut = text.lastIndexOf("\n");
      partial = text.slice(cut + 1);
      for (let mark = text.indexOf(" S "); mark >= 0 && mark < cut; mark = text.indexOf(" S ", mark)) {
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
    const countLines = () => clients.reduce((sum, client) => sum + client.lines, 0);
    const snapshot = () => ({ at: performance.now(), lines: countLines(), cpu: cpu(), self: process.cpuUsage() });
    for (const talker of talkers) topUp(talker);
    await settle(warmup * 1000);
    const windowStart = snapshot();
    for (const client of clients) client.latencies.length = 0;
    await settle(seconds * 1000);
    const windowEnd = snapshot();
    // Stop sending, then let what is in flight arrive: until every line is in or the count stops moving.
    sending = false;
    const sent = talkers.reduce((sum, talker) => sum + talker.sent, 0);
    const expected = sent * (count - 1);
    const deadline = performance.now() + 10_000;
    let last = -1;
    while (countLines() < expected && countLines() !== last && performance.now() < deadline) {
      last = countLines();
      await settle(1_000);
    }
    const received = countLines();
    const latencies = clients.flatMap((client) => client.latencies).sort((a, b) => a - b);
    const windowSeconds = (windowEnd.at - windowStart.at) / 1000;
    const windowLines = windowEnd.lines - windowStart.lines;
    const selfCpu = (windowEnd.self.user + windowEnd.self.system - windowStart.self.user - windowStart.self.system) / 1e6;
    const perSender = talkers.map((talker) => talker.sent);
    return {
      delivered: windowLines / windowSeconds,
      cpuPerMillion: ((windowEnd.cpu - windowStart.cpu) * 1e6) / Math.max(1, windowLines),
      // Near 1.0 the load generator, not the server, may be what limits the rate.
      generatorCpu: selfCpu / windowSeconds,
      lost: Math.max(0, expected - received),
      expected,
      outOfOrder,
      cut: clients.filter((client) => client.cut).length,
      // A sender the server throttles falls behind the others.
      slowestSender: Math.min(...perSender) / Math.max(...perSender),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
    };
  } finally {
    closeClients(clients);
  }
}
