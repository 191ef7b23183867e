import type { Channel } from "./channel.js";
import { TokenBucket } from "./token-bucket.js";

/** Where a client's bytes go: a socket, or the operator console. */
export interface Transport {
  write(data: Buffer): void;
  /** Bytes accepted but not yet sent to the peer. */
  pendingBytes(): number;
  /** Stops reading (flood control) or resumes. */
  pause(paused: boolean): void;
  /** Sends what is queued, then closes. */
  end(): void;
  destroy(): void;
}

/** Queues a client whose output should be flushed at the end of this turn of the event loop. */
export interface FlushQueue {
  add(client: Client): void;
}

/** One connection and what the server knows about its user. */
export class Client {
  nick = "*";
  user = "";
  realname = "";
  host: string;
  registered = false;
  gotUser = false;
  password: string | undefined;
  /** Capability bits; see capabilities.ts. */
  caps = 0;
  /** True between CAP LS/REQ and CAP END: registration waits. */
  capNegotiating = false;
  invisible = false;
  oper = false;
  account: string | undefined;
  away: string | undefined;
  /** Cluster mode: the node a remote user is connected to; lines sent to it here are dropped (its node delivers them). */
  home: string | undefined;
  /** Cluster mode: true while a nick claim is in flight; the client's next commands wait. */
  held = false;
  readonly channels = new Set<Channel>();
  readonly connectedAt = Date.now();
  lastActivity = Date.now();
  lastSpoke = Date.now();
  pingSentAt = 0;
  /** Lines waiting for flood-control tokens. */
  readonly inbox: string[] = [];
  drainTimer: NodeJS.Timeout | undefined;
  paused = false;
  closing = false;
  /** Output gathered this turn, written in one call by the flush queue. */
  out: Buffer[] = [];
  outBytes = 0;
  /** Lines queued for this client, for the metrics. */
  linesSent = 0;
  readonly bucket: TokenBucket;

  constructor(
    readonly id: number,
    readonly transport: Transport,
    readonly ip: string,
    private readonly flushQueue: FlushQueue,
    floodBurst: number,
    floodRate: number,
  ) {
    // A host starting with ':' (an IPv6 address such as ::1) would end a message's parameters.
    this.host = ip.startsWith(":") ? "0" + ip : ip;
    this.bucket = new TokenBucket(floodBurst, floodRate);
  }

  /** nick!user@host, the source of what this user says. */
  get mask(): string {
    return `${this.nick}!${this.user}@${this.host}`;
  }

  /**
   * Queues one line (ending in CR LF) for this client, or `lines` lines joined; fan-out passes
   * one shared Buffer to every member.
   */
  send(line: string | Buffer, lines = 1): void {
    if (this.closing || this.home !== undefined) return;
    const bytes = typeof line === "string" ? Buffer.from(line) : line;
    this.linesSent += lines;
    if (this.out.length === 0) this.flushQueue.add(this);
    this.out.push(bytes);
    this.outBytes += bytes.length;
  }

  /** Takes what is queued as one Buffer. */
  takeOutput(): Buffer | undefined {
    const { out } = this;
    if (out.length === 0) return undefined;
    const data = out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    return data;
  }
}
