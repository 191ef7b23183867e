// One load worker process: holds its share of the IRC clients (under this process's open-file limit) and does what the coordinator says.
import net from "node:net";
import { nowMs } from "./clock.js";
import { lineKind, pingToken, sentAt, trailing } from "./lines.js";
import type { Command, JoinCommand, Report, SendCommand, StartCommand, Status } from "./messages.js";
import { Reservoir } from "./reservoir.js";

// 0: not started yet.
const CONNECTING = 1;
const REGISTERED = 2;
const FAILED = 3;
const LOST = 4;

// Exit on our own if the coordinator dies or forgets us, so no client outlives a run.
const lifetimeMs = Number(process.env.LOADGEN_LIFETIME_MS) || 30 * 60_000;
setTimeout(() => process.exit(2), lifetimeMs).unref();
process.on("disconnect", () => process.exit(0));

let worker = -1;
let start: StartCommand | undefined;
let sockets: (net.Socket | undefined)[] = [];
let state = new Uint8Array(0);
let startedAt = new Float64Array(0);
// Only clients with an unfinished line have an entry.
const partial = new Map<number, string>();
let opened = 0;
let openStart = 0;
let halted = false;
const reservoir = new Reservoir(100_000);

const status: Status = {
  type: "status", worker: -1, epoch: 0, clients: 0, registered: 0, pending: 0, failed: 0, failures: {}, examples: {}, lost: 0,
  lastRegisteredAt: 0, joined: 0, sent: 0, sending: false, delivered: 0, lastDeliveryAt: 0, quits: 0, firstQuitAt: 0, lastQuitAt: 0,
};

function report(message: Report): void {
  // A coordinator gone mid-send is not an error worth a stack trace: this worker just ends.
  if (process.connected) process.send?.(message, undefined, undefined, (error: Error | null) => {
    if (error) process.exit(0);
  });
}

function nick(i: number): string {
  return `${start?.nickPrefix ?? "l"}${worker}x${i}`;
}

function fail(i: number, kind: string, example: string): void {
  const was = state[i];
  if (was === CONNECTING) {
    state[i] = FAILED;
    status.pending--;
    status.failed++;
    status.failures[kind] = (status.failures[kind] ?? 0) + 1;
    status.examples[kind] ??= example;
  } else if (was === REGISTERED) {
    state[i] = LOST;
    status.lost++;
    status.examples[`lost ${kind}`] ??= example;
  }
  partial.delete(i);
  sockets[i]?.destroy();
  sockets[i] = undefined;
}

function onLine(i: number, socket: net.Socket, text: string, from: number, to: number): void {
  switch (lineKind(text, from, to)) {
    case "privmsg": {
      const sent = sentAt(text, from, to);
      if (!Number.isFinite(sent)) return;
      const now = nowMs();
      status.delivered++;
      status.lastDeliveryAt = now;
      reservoir.add(now - sent);
      return;
    }
    case "ping":
      socket.write(`PONG ${pingToken(text, from, to)}\r\n`);
      return;
    case "endOfNames":
      status.joined++;
      return;
    case "welcome":
      if (state[i] !== CONNECTING) return;
      state[i] = REGISTERED;
      status.pending--;
      status.registered++;
      status.lastRegisteredAt = nowMs();
      return;
    case "quit":
      status.quits++;
      status.lastQuitAt = nowMs();
      if (status.firstQuitAt === 0) status.firstQuitAt = status.lastQuitAt;
      return;
    case "error":
      fail(i, "refused", `ERROR :${trailing(text, from, to)}`);
      return;
    case "nickRefused":
      if (state[i] === CONNECTING) fail(i, "nick", text.slice(from, to));
      return;
    default:
      return;
  }
}

function onData(i: number, socket: net.Socket, chunk: Buffer): void {
  // latin1 maps bytes one to one: enough for commands, numbers and ASCII payloads.
  let text = chunk.toString("latin1");
  const rest = partial.get(i);
  if (rest !== undefined) {
    text = rest + text;
    partial.delete(i);
  }
  let from = 0;
  for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", from)) {
    const to = end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    onLine(i, socket, text, from, to);
    if (sockets[i] !== socket) return;
    from = end + 1;
  }
  if (from < text.length) partial.set(i, text.slice(from));
}

function open(i: number, command: StartCommand): void {
  const target = command.targets[command.targetOf[i] ?? 0];
  if (!target) throw new RangeError(`client ${i} has no target`);
  const localAddress = command.sourceAddresses[command.addressOf[i] ?? 0];
  state[i] = CONNECTING;
  startedAt[i] = nowMs();
  status.pending++;
  let socket: net.Socket;
  try {
    socket = net.connect({ host: target.host, port: target.port, localAddress });
  } catch (error) {
    // EMFILE and the like can also be thrown at once rather than emitted.
    const code = (error as NodeJS.ErrnoException).code ?? "other";
    fail(i, code, (error as Error).message);
    return;
  }
  sockets[i] = socket;
  socket.setNoDelay(true);
  socket.on("connect", () => socket.write(`NICK ${nick(i)}\r\nUSER load 0 * :load\r\n`));
  socket.on("data", (chunk: Buffer) => onData(i, socket, chunk));
  socket.on("error", (error: NodeJS.ErrnoException) => {
    if (sockets[i] === socket) fail(i, error.code ?? "other", error.message);
  });
  socket.on("close", () => {
    if (sockets[i] === socket) fail(i, "closed", "the server closed the connection");
  });
}

function startClients(command: StartCommand): void {
  start = command;
  worker = command.worker;
  status.worker = worker;
  const count = command.targetOf.length;
  status.clients = count;
  sockets = new Array<net.Socket | undefined>(count);
  state = new Uint8Array(count);
  startedAt = new Float64Array(count);
  openStart = nowMs();
  // After a wait on maxPending, catch up at most 50 ms worth at a time, so the rate stays a bound.
  const burst = Math.ceil(command.rate / 20);
  const opener = setInterval(() => {
    const due = Math.min(count, Math.floor(((nowMs() - openStart) / 1000) * command.rate) + 1, opened + burst);
    while (!halted && opened < due && status.pending < command.maxPending) open(opened++, command);
    if (opened >= count || halted) clearInterval(opener);
  }, 10);
  // Connections that never got 001 count as timeouts.
  setInterval(() => {
    const limit = nowMs() - command.registerTimeoutMs;
    for (let i = 0; i < opened; i++) {
      if (state[i] === CONNECTING && (startedAt[i] ?? 0) < limit) fail(i, "timeout", `no 001 within ${command.registerTimeoutMs} ms`);
    }
  }, 1_000).unref();
}

/** Every 10 ms, calls step(from, to) with the items due by then at `perSecond`, until `count` are done. */
function paced(perSecond: number, count: number, step: (from: number, to: number) => void): void {
  const began = nowMs();
  let done = 0;
  const timer = setInterval(() => {
    const due = Math.min(count, Math.floor(((nowMs() - began) / 1000) * perSecond) + 1);
    if (due > done) step(done, due);
    done = Math.max(done, due);
    if (done >= count) clearInterval(timer);
  }, 10);
}

function join(command: JoinCommand): void {
  const members: number[] = [];
  command.channelOf.forEach((channel, i) => {
    if (channel >= 0) members.push(i);
  });
  paced(command.rate, members.length, (from, to) => {
    for (let k = from; k < to; k++) {
      const i = members[k] as number;
      sockets[i]?.write(`JOIN #${command.channelPrefix}${command.channelOf[i]}\r\n`);
    }
  });
}

function send(command: SendCommand): void {
  status.sending = true;
  report(status);
  const { senders } = command;
  const perSender = Math.round((command.ratePerSecond * command.durationMs) / 1000);
  const done = new Array<number>(senders.length).fill(0);
  const began = nowMs();
  const timer = setInterval(() => {
    const elapsed = nowMs() - began;
    let finished = true;
    senders.forEach((sender, j) => {
      const due = Math.min(perSender, Math.max(0, Math.floor(((elapsed - sender.phaseMs) / 1000) * command.ratePerSecond) + 1));
      const from = done[j] as number;
      if (due < perSender) finished = false;
      if (due <= from) return;
      done[j] = due;
      const socket = sockets[sender.client];
      if (!socket) return;
      let lines = "";
      for (let k = from; k < due; k++) lines += `PRIVMSG #${command.channelPrefix}${sender.channel} :${nowMs().toFixed(3)} ${k}\r\n`;
      socket.write(lines);
      status.sent += due - from;
    });
    // Stop when every sender is done, or a second past the window whatever happened.
    if (finished || elapsed > command.durationMs + 1_000) {
      clearInterval(timer);
      status.sending = false;
      report(status);
    }
  }, 1);
}

function quit(): void {
  halted = true;
  for (const socket of sockets) socket?.end("QUIT :load done\r\n");
  // Give the QUITs a moment to leave, then go.
  setTimeout(() => process.exit(0), 500);
}

process.on("message", (message: Command) => {
  switch (message.type) {
    case "start":
      startClients(message);
      break;
    case "join":
      join(message);
      break;
    case "send":
      send(message);
      break;
    case "halt":
      halted = true;
      break;
    case "reset":
      Object.assign(status, { epoch: message.epoch, sent: 0, delivered: 0, lastDeliveryAt: 0, quits: 0, firstQuitAt: 0, lastQuitAt: 0 });
      reservoir.clear();
      report(status);
      break;
    case "samples":
      report({ type: "samples", worker, seen: reservoir.seen, values: reservoir.kept() });
      break;
    case "quit":
      quit();
      break;
  }
});

setInterval(() => report(status), 500);
report(status);
