import type { LabeledResponse } from "./labeled-response.js";
import type { Session, User } from "./state/model.js";
import { TokenBucket } from "./token-bucket.js";
import type { SaslState } from "./accounts/sasl.js";
import type { LoggedIn } from "./accounts/logged-in.js";
import type { DeviceLink } from "./cluster/link.js";

/** Where a connection's bytes go: a socket, or the operator console. */
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

/** What a connection tells the server about itself. */
export interface ConnectionOwner {
  /** Its output should be flushed at the end of this turn of the event loop. */
  queued(connection: Connection): void;
  /** It must close (KILL): its user quits with reason. */
  ended(connection: Connection, reason: string): void;
  /** Output one connection may gather between two flushes; past it, it is cut at the next flush (SendQ exceeded). */
  readonly maxGatheredBytes: number;
}

/** The host shown for an address: one starting with ':' (an IPv6 address such as ::1) would end a message's parameters. */
export function hostOf(ip: string): string {
  return ip.startsWith(":") ? "0" + ip : ip;
}

/** One connection: its transport, capabilities, registration progress, flood control and output queue. Its user is network state. */
export class Connection implements Session {
  /** Capability bits; see capabilities.ts. */
  caps = 0;
  /** True between CAP LS/REQ and CAP END: registration waits. */
  capNegotiating = false;
  gotUser = false;
  password: string | undefined;
  /** True while a network-wide claim (cluster mode) is in flight: the connection's next commands wait. */
  held = false;
  /** The account this connection logged into (SASL, NickServ); before registration the user takes it at registration. */
  login: LoggedIn | undefined;
  /** NICK named the nick of the user of the account this connection logged into: registration joins that user. */
  nickOfAccount = false;
  /** The last nick NICK asked for before registration, taken or not (REGISTER * names it). */
  requestedNick: string | undefined;
  /** A device of a user of another node: its lines go there (cluster link), and its output comes from there. */
  relay: DeviceLink | undefined;
  /** The SASL exchange in progress (AUTHENTICATE), if any. */
  sasl: SaslState | undefined;
  readonly connectedAt = Date.now();
  lastActivity = Date.now();
  pingSentAt = 0;
  /** Lines waiting for flood-control tokens. */
  readonly inbox: string[] = [];
  drainTimer: NodeJS.Timeout | undefined;
  paused = false;
  closing = false;
  /** The labeled response gathering this connection's output, only while its command runs (labeled-response.ts). */
  gathering: LabeledResponse | undefined = undefined;
  /** Lines queued for this connection, for the metrics. */
  linesSent = 0;
  readonly bucket: TokenBucket;
  /** Output gathered this turn, written in one call by the flush. */
  private out: Buffer[] = [];
  private outBytes = 0;
  /** More output was gathered between two flushes than the owner allows: the flush cuts it, nothing more is kept. */
  overflowed = false;

  constructor(
    readonly id: number,
    private current: User,
    readonly transport: Transport,
    readonly ip: string,
    private readonly owner: ConnectionOwner,
    floodBurst: number,
    floodRate: number,
    /** SHA-256 fingerprint (hex) of the TLS client certificate, for SASL EXTERNAL. */
    readonly certfp: string | undefined = undefined,
  ) {
    this.bucket = new TokenBucket(floodBurst, floodRate);
  }

  /** Its user: a new one until registration, which may make it a device of its account's user. */
  get user(): User {
    return this.current;
  }

  /** The network moved this connection to another user (another device of the same account). */
  movedTo(user: User): void {
    this.current = user;
  }

  get registered(): boolean {
    return this.user.registered;
  }

  /** The nick replies address ("*" before NICK). */
  get nick(): string {
    return this.user.nick;
  }

  /**
   * Queues one line (ending in CR LF) for this connection, or `lines` lines joined; fan-out
   * passes one shared Buffer to every member.
   */
  send(line: string | Buffer, lines = 1): void {
    if (this.closing) return;
    // A labeled command's reply is gathered, then written whole (labeled-response); a field on this keeps the check free.
    if (this.gathering !== undefined) return this.gathering.add(line);
    this.queueOutput(line, lines);
  }

  /** Queues lines as they are, never gathered into a labeled response (one that is finished). */
  queueOutput(line: string | Buffer, lines: number): void {
    if (this.overflowed) return;
    const bytes = typeof line === "string" ? Buffer.from(line) : line;
    this.linesSent += lines;
    if (this.out.length === 0) this.owner.queued(this);
    this.out.push(bytes);
    this.outBytes += bytes.length;
    // A flood (flood control off) can gather output faster than flushes hand it to the socket: bound what waits.
    if (this.outBytes > this.owner.maxGatheredBytes) this.overflowed = true;
  }

  end(reason: string): void {
    this.owner.ended(this, reason);
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
