// What the load coordinator and its worker processes say to each other over fork IPC ("advanced" serialization, so typed arrays pass as they are).

export interface Target {
  host: string;
  port: number;
}

/** Open this worker's clients: client i connects to targets[targetOf[i]] from sourceAddresses[addressOf[i]]. */
export interface StartCommand {
  type: "start";
  worker: number;
  nickPrefix: string;
  targets: Target[];
  targetOf: Uint8Array;
  sourceAddresses: string[];
  addressOf: Uint8Array;
  /** New connections per second for this worker. */
  rate: number;
  /** Connections of this worker that may wait for 001 at once. */
  maxPending: number;
  registerTimeoutMs: number;
}

/** Client i joins channel `#<prefix><channelOf[i]>` (-1: none), at `rate` JOINs per second. */
export interface JoinCommand {
  type: "join";
  channelPrefix: string;
  channelOf: Int32Array;
  rate: number;
}

export interface Sender {
  client: number;
  channel: number;
  /** Delay of this sender's schedule, so that the senders take turns instead of sending in bursts. */
  phaseMs: number;
}

/** Each sender posts `ratePerSecond` timestamped messages to its channel for durationMs. */
export interface SendCommand {
  type: "send";
  channelPrefix: string;
  senders: Sender[];
  ratePerSecond: number;
  durationMs: number;
}

export type Command =
  | StartCommand
  | JoinCommand
  | SendCommand
  /** Stop opening connections (the coordinator saw too many failures). */
  | { type: "halt" }
  /** Zero the delivery, latency and QUIT counters; later statuses carry this epoch. */
  | { type: "reset"; epoch: number }
  /** Reply with a Samples message. */
  | { type: "samples" }
  /** Send QUIT on every connection and exit. */
  | { type: "quit" };

/** A worker's counters, sent every half second. Times are epoch milliseconds (performance.timeOrigin + now). */
export interface Status {
  type: "status";
  worker: number;
  /** The last reset's epoch, so the coordinator can drop statuses sent before it. */
  epoch: number;
  clients: number;
  registered: number;
  pending: number;
  failed: number;
  /** Failures by kind (an errno code, "timeout", "refused", "closed", "nick"). */
  failures: Record<string, number>;
  /** One server line or error message per failure kind, to show what the limit was. */
  examples: Record<string, string>;
  /** Registered clients whose connection closed since. */
  lost: number;
  lastRegisteredAt: number;
  joined: number;
  sent: number;
  sending: boolean;
  delivered: number;
  lastDeliveryAt: number;
  quits: number;
  /** When the first QUIT since the last reset came (0: none yet). */
  firstQuitAt: number;
  lastQuitAt: number;
}

/** Latency samples in ms: all deliveries up to the reservoir's size, a uniform sample of `seen` beyond. */
export interface Samples {
  type: "samples";
  worker: number;
  seen: number;
  values: Float64Array;
}

export type Report = Status | Samples;
