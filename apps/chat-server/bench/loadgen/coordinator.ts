// The load coordinator: forks worker processes, gives each its share of the clients, and drives them over IPC.
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { summarize, type Summary } from "@netlab/bench-kit";
import { nowMs } from "./clock.js";
import { describeFailures, LoadLimitError, LoadWorkerError } from "./errors.js";
import type { Command, Report, Samples, Sender, Status } from "./messages.js";
import { pool } from "./reservoir.js";
import { assignTargets, loopbackSources, type WeightedTarget } from "./targets.js";

/** Clients one worker may hold: its open-file limit is 20,000, and it needs a few files of its own. */
export const MAX_CLIENTS_PER_WORKER = 19_000;

export interface LoadOptions {
  targets: WeightedTarget[];
  clients: number;
  /** Worker processes (default: as few as hold the clients, at most MAX_CLIENTS_PER_WORKER each). */
  workers?: number;
  /** Source addresses, used in turn (default: 127.0.0.2 upward, CLIENTS_PER_ADDRESS clients each, at least one per worker). */
  sourceAddresses?: string[];
  /** New connections per second over all workers. */
  rate?: number;
  /** Connections waiting for 001 at once over all workers (a server with a short listen backlog wants few). */
  maxPending?: number;
  registerTimeoutMs?: number;
  /** Failed connections tolerated before registration stops. */
  maxFailures?: number;
  /** A phase that makes no progress for this long stops with a LoadLimitError. */
  stallMs?: number;
  nickPrefix?: string;
  /** The compiled worker (default: worker.js beside this file). */
  workerScript?: string | URL;
  /** CPU list for taskset, e.g. "0", to keep the load off the servers' cores. */
  cpus?: string;
  /** Progress lines (default: console.log; () => {} for none). */
  log?: (line: string) => void;
  /** Workers exit on their own after this long, whatever happens to the coordinator. */
  lifetimeMs?: number;
}

/** The workers' counters summed: a worker's Status without its own fields. */
export type Totals = Omit<Status, "type" | "worker" | "epoch" | "clients">;

export interface RegisterResult {
  registered: number;
  ms: number;
}

export interface ChannelPlan {
  channels: number;
  size: number;
  /** JOINs per second over all workers. */
  rate?: number;
}

export interface SendPlan {
  senders: number;
  ratePerSecond: number;
  durationMs: number;
  /** Targets whose clients are gone (a killed node): no senders there, their members not expected to receive. */
  skipTargets?: number[];
  /** How long deliveries may stop growing before the count is taken as final. */
  drainMs?: number;
}

export interface SendResult {
  sent: number;
  expected: number;
  delivered: number;
  /** Deliveries over the time from the first send to the last delivery. */
  perSecond: number;
  latencyMs: Summary;
  /** QUITs the clients saw during the round: users that left while messages were in flight. */
  quits: number;
  /** Registered connections of this load that closed during the round. */
  lost: number;
}

interface WaitOptions {
  /** A reason to stop now, or undefined to go on. */
  broken?: (t: Totals) => string | undefined;
  timeoutMs?: number;
  /** No progress for this long ends the wait (default: the stallMs option). */
  stallMs?: number;
}

export class LoadGenerator {
  private readonly children: ChildProcess[] = [];
  private readonly statuses: (Status | undefined)[] = [];
  private readonly sampleWaiters = new Map<number, (samples: Samples) => void>();
  private readonly targetOf: Uint8Array;
  private readonly log: (line: string) => void;
  private failure: Error | undefined;
  private plan: ChannelPlan | undefined;
  private closing = false;
  // Statuses from before the last reset are dropped.
  private epoch = 0;
  private readonly workerCount: number;

  constructor(readonly options: LoadOptions) {
    const { clients } = options;
    if (!Number.isInteger(clients) || clients < 1) throw new RangeError(`clients must be a positive integer: ${clients}`);
    this.workerCount = options.workers ?? Math.ceil(clients / MAX_CLIENTS_PER_WORKER);
    if (Math.ceil(clients / this.workerCount) > MAX_CLIENTS_PER_WORKER) {
      throw new RangeError(`${clients} clients over ${this.workerCount} workers is more than ${MAX_CLIENTS_PER_WORKER} per worker (open-file limit): use more workers`);
    }
    this.targetOf = assignTargets(options.targets, clients);
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Worker and index in that worker of global client g. */
  private where(g: number): { worker: number; local: number } {
    return { worker: g % this.workerCount, local: Math.floor(g / this.workerCount) };
  }

  private sizeOf(worker: number): number {
    return Math.max(0, Math.ceil((this.options.clients - worker) / this.workerCount));
  }

  /** Target index of global client g. */
  target(g: number): number {
    return this.targetOf[g] as number;
  }

  private tell(worker: number, command: Command): void {
    const child = this.children[worker];
    if (child?.connected) child.send(command);
  }

  private tellAll(command: Command): void {
    for (let w = 0; w < this.children.length; w++) this.tell(w, command);
  }

  private spawn(): void {
    const script = this.options.workerScript ?? new URL("./worker.js", import.meta.url);
    const env = { ...process.env, LOADGEN_LIFETIME_MS: String(this.options.lifetimeMs ?? 30 * 60_000) };
    for (let w = 0; w < this.workerCount; w++) {
      const child = fork(typeof script === "string" ? script : fileURLToPath(script), [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"], env });
      if (this.options.cpus && child.pid) {
        try {
          execFileSync("taskset", ["-a", "-p", "-c", this.options.cpus, String(child.pid)], { stdio: "ignore" });
        } catch {
          // No taskset: run unpinned.
        }
      }
      child.on("message", (report: Report) => {
        if (report.type === "status") {
          if (report.epoch === this.epoch) this.statuses[w] = report;
        } else this.sampleWaiters.get(w)?.(report);
      });
      child.on("exit", (code, signal) => {
        if (!this.closing) this.failure ??= new LoadWorkerError(w, code, signal);
      });
      this.children.push(child);
    }
  }

  /** Process ids of the workers, to sample their memory. */
  workerPids(): number[] {
    return this.children.flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  /** The workers' counters added up. */
  totals(): Totals {
    const sum: Totals = { registered: 0, pending: 0, failed: 0, failures: {}, examples: {}, lost: 0, lastRegisteredAt: 0, joined: 0, sent: 0, sending: false, delivered: 0, lastDeliveryAt: 0, quits: 0, firstQuitAt: 0, lastQuitAt: 0 };
    for (const s of this.statuses) {
      if (!s) continue;
      for (const key of ["registered", "pending", "failed", "lost", "joined", "sent", "delivered", "quits"] as const) sum[key] += s[key];
      for (const key of ["lastRegisteredAt", "lastDeliveryAt", "lastQuitAt"] as const) sum[key] = Math.max(sum[key], s[key]);
      if (s.firstQuitAt > 0) sum.firstQuitAt = sum.firstQuitAt === 0 ? s.firstQuitAt : Math.min(sum.firstQuitAt, s.firstQuitAt);
      sum.sending ||= s.sending;
      for (const [kind, count] of Object.entries(s.failures)) sum.failures[kind] = (sum.failures[kind] ?? 0) + count;
      for (const [kind, text] of Object.entries(s.examples)) sum.examples[kind] ??= text;
    }
    return sum;
  }

  /** Polls the totals until done() holds; a stall, a timeout or `broken` ends it with a LoadLimitError. */
  private async waitFor(phase: LoadLimitError["phase"], wanted: number, reached: (t: Totals) => number, progress: (t: Totals) => string, options: WaitOptions = {}): Promise<Totals> {
    const stallMs = options.stallMs ?? this.options.stallMs ?? 30_000;
    const timeoutMs = options.timeoutMs ?? 30 * 60_000;
    const broken = options.broken ?? ((): undefined => undefined);
    const began = Date.now();
    let last = -1;
    let lastChange = Date.now();
    let lastLog = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.failure) throw this.failure;
      const totals = this.totals();
      const now = reached(totals);
      if (now >= wanted) return totals;
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      }
      const why = broken(totals);
      const stalled = Date.now() - lastChange > stallMs ? `no progress for ${stallMs / 1000} s` : undefined;
      const late = Date.now() - began > timeoutMs ? `not done within ${timeoutMs / 1000} s` : undefined;
      const reason = why ?? stalled ?? late;
      if (reason) {
        this.tellAll({ type: "halt" });
        const failures = describeFailures(totals.failures, totals.examples);
        throw new LoadLimitError(phase, now, wanted, totals.failures, failures ? `${reason}; ${failures}` : reason);
      }
      if (Date.now() - lastLog >= 1_000) {
        lastLog = Date.now();
        this.log(`${phase} ${now}/${wanted} ${progress(totals)}`);
      }
    }
  }

  /** Forks the workers and registers every client; resolves when all got 001. */
  /** register(), with a limit that stops it reported rather than thrown: how many were held, and why no more. */
  async registerHeld(): Promise<{ held: number; ms: number; limit?: string }> {
    try {
      return { held: this.options.clients, ms: (await this.register()).ms };
    } catch (error) {
      if (!(error instanceof LoadLimitError)) throw error;
      return { held: error.reached, ms: Number.NaN, limit: error.message };
    }
  }

  async register(): Promise<RegisterResult> {
    const { clients } = this.options;
    const sources = this.options.sourceAddresses ?? loopbackSources(clients, this.workerCount);
    const rate = this.options.rate ?? 2_000;
    const maxPending = this.options.maxPending ?? 1_000;
    this.spawn();
    const began = nowMs();
    for (let w = 0; w < this.workerCount; w++) {
      const size = this.sizeOf(w);
      const targetOf = new Uint8Array(size);
      const addressOf = new Uint8Array(size);
      for (let local = 0; local < size; local++) {
        const g = local * this.workerCount + w;
        targetOf[local] = this.targetOf[g] as number;
        addressOf[local] = g % sources.length;
      }
      this.tell(w, {
        type: "start", worker: w, nickPrefix: this.options.nickPrefix ?? "l", targets: this.options.targets.map(({ host, port }) => ({ host, port })),
        targetOf, sourceAddresses: sources, addressOf, rate: rate / this.workerCount, maxPending: Math.max(1, Math.floor(maxPending / this.workerCount)),
        registerTimeoutMs: this.options.registerTimeoutMs ?? 30_000,
      });
    }
    const maxFailures = this.options.maxFailures ?? 0;
    const totals = await this.waitFor(
      "register", clients, (t) => t.registered,
      (t) => `registered, ${t.pending} pending, ${t.failed} failed${t.lost ? `, ${t.lost} lost` : ""}`,
      { broken: (t) => (t.failed > maxFailures ? `${t.failed} connections failed` : t.lost > 0 ? `${t.lost} registered connections closed` : undefined) },
    );
    return { registered: totals.registered, ms: totals.lastRegisteredAt - began };
  }

  /** Channel of global client g under the join plan, or -1. */
  channelOf(g: number): number {
    if (!this.plan || g >= this.plan.channels * this.plan.size) return -1;
    return Math.floor(g / this.plan.size);
  }

  /** Members of each channel on targets other than `skip`. */
  membersPerChannel(skip: number[] = []): number[] {
    const plan = this.requirePlan();
    const counts = new Uint32Array(plan.channels);
    for (let g = 0; g < plan.channels * plan.size; g++) {
      if (!skip.includes(this.target(g))) {
        const c = Math.floor(g / plan.size);
        counts[c] = (counts[c] ?? 0) + 1;
      }
    }
    return [...counts];
  }

  private requirePlan(): ChannelPlan {
    if (!this.plan) throw new Error("join() first");
    return this.plan;
  }

  /** Clients 0..channels*size-1 join channels of `size` consecutive clients (so each spans the targets); resolves when every JOIN got 366. */
  async join(plan: ChannelPlan): Promise<{ members: number; ms: number }> {
    const members = plan.channels * plan.size;
    if (members > this.options.clients) throw new RangeError(`${plan.channels} channels of ${plan.size} need ${members} clients, there are ${this.options.clients}`);
    this.plan = plan;
    const before = this.totals().joined;
    const began = nowMs();
    for (let w = 0; w < this.workerCount; w++) {
      const channelOf = new Int32Array(this.sizeOf(w)).fill(-1);
      for (let local = 0; local < channelOf.length; local++) channelOf[local] = this.channelOf(local * this.workerCount + w);
      this.tell(w, { type: "join", channelPrefix: "load", channelOf, rate: (plan.rate ?? 2_000) / this.workerCount });
    }
    await this.waitFor("join", members, (t) => t.joined - before, () => "joined");
    return { members, ms: nowMs() - began };
  }

  /** Zeroes the delivery, latency and QUIT counters. */
  reset(): void {
    this.epoch++;
    for (const status of this.statuses) {
      if (status) Object.assign(status, { epoch: this.epoch, sent: 0, delivered: 0, lastDeliveryAt: 0, quits: 0, firstQuitAt: 0, lastQuitAt: 0 });
    }
    this.tellAll({ type: "reset", epoch: this.epoch });
  }

  /** Senders spread over the channels and, within one, over its members' targets; each sends ratePerSecond for durationMs. */
  async send(plan: SendPlan): Promise<SendResult> {
    const channels = this.requirePlan();
    const skip = plan.skipTargets ?? [];
    const alive = this.membersPerChannel(skip);
    const perWorker: Sender[][] = this.children.map(() => []);
    let receivers = 0;
    for (let j = 0; j < plan.senders; j++) {
      const channel = j % channels.channels;
      let nth = Math.floor(j / channels.channels);
      let g = channel * channels.size;
      for (; g < (channel + 1) * channels.size; g++) {
        if (!skip.includes(this.target(g)) && nth-- === 0) break;
      }
      if (g >= (channel + 1) * channels.size) throw new RangeError(`channel ${channel} has fewer than ${Math.floor(j / channels.channels) + 1} live members to send`);
      const { worker, local } = this.where(g);
      // Senders take turns evenly over one message interval.
      perWorker[worker]?.push({ client: local, channel, phaseMs: (j / plan.senders) * (1000 / plan.ratePerSecond) });
      receivers += (alive[channel] as number) - 1;
    }
    // Counters reach the workers before the send command, over the same ordered channel.
    this.reset();
    const lostBefore = this.totals().lost;
    const perSender = Math.round((plan.ratePerSecond * plan.durationMs) / 1000);
    const expected = perSender * receivers;
    const began = nowMs();
    perWorker.forEach((senders, w) => this.tell(w, { type: "send", channelPrefix: "load", senders, ratePerSecond: plan.ratePerSecond, durationMs: plan.durationMs }));
    await new Promise((resolve) => setTimeout(resolve, plan.durationMs));
    const drainMs = plan.drainMs ?? 5_000;
    let totals: Totals;
    try {
      totals = await this.waitFor("send", expected, (t) => (t.sending ? -1 : t.delivered), (t) => `delivered (${t.sent} sent)`, { stallMs: drainMs, timeoutMs: plan.durationMs + 60_000 });
    } catch (error) {
      // A shortfall is a result here, not a failure: report what arrived once deliveries stop.
      if (!(error instanceof LoadLimitError)) throw error;
      totals = this.totals();
    }
    const latency = await this.samples();
    return {
      sent: totals.sent,
      expected,
      delivered: totals.delivered,
      perSecond: totals.delivered / ((totals.lastDeliveryAt - began) / 1000),
      latencyMs: summarize(latency),
      quits: totals.quits,
      lost: totals.lost - lostBefore,
    };
  }

  /** QUITs the clients of channels would see if target `gone` lost its users: each of its members, to each live member. */
  expectedQuits(gone: number): number {
    const all = this.membersPerChannel();
    const alive = this.membersPerChannel([gone]);
    return all.reduce((sum, members, c) => sum + (members - (alive[c] as number)) * (alive[c] as number), 0);
  }

  /** Waits until the clients saw `expected` QUITs since the last reset; returns the count and when the first and last came (epoch ms). */
  async waitForQuits(expected: number, timeoutMs: number): Promise<{ quits: number; firstQuitAt: number; lastQuitAt: number }> {
    const totals = await this.waitFor("quits", expected, (t) => t.quits, () => "QUITs seen", { timeoutMs, stallMs: timeoutMs });
    return { quits: totals.quits, firstQuitAt: totals.firstQuitAt, lastQuitAt: totals.lastQuitAt };
  }

  /** Latency samples of every worker since the last reset, pooled in proportion to their deliveries. */
  private async samples(): Promise<number[]> {
    const parts = await Promise.all(
      this.children.map((_, w) => new Promise<Samples>((resolve) => {
        this.sampleWaiters.set(w, resolve);
        this.tell(w, { type: "samples" });
      })),
    );
    this.sampleWaiters.clear();
    return pool(parts);
  }

  /** Sends QUIT on every connection and waits for the workers to exit (killing any that do not within 5 s). */
  async close(): Promise<void> {
    this.closing = true;
    this.tellAll({ type: "quit" });
    await Promise.all(this.children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    })));
  }
}

