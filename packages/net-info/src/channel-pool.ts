import { promises as dns } from "node:dns";

type Channel = InstanceType<typeof dns.Resolver>;

/**
 * The c-ares channels of one resolver. Most queries share one channel: it keeps its UDP
 * socket open while queries flow, which makes it about three times faster than a channel
 * per query. A query with an AbortSignal gets a channel of its own (reused from an idle
 * list), so that cancel() stops exactly that query.
 */
export class ChannelPool {
  readonly #servers: string[];
  readonly #timeoutMs: number;
  readonly #maxIdle: number;
  readonly #idle: Channel[] = [];
  #shared: Channel | undefined;
  #sharedInFlight = 0;

  constructor(servers: string[], timeoutMs: number, maxIdle = 64) {
    this.#servers = servers;
    this.#timeoutMs = timeoutMs;
    this.#maxIdle = maxIdle;
  }

  #create(): Channel {
    // Two tries inside the deadline, so one lost UDP packet does not fail the lookup.
    const channel = new dns.Resolver({ timeout: Math.max(10, Math.floor(this.#timeoutMs / 3)), tries: 2 });
    channel.setServers(this.#servers);
    return channel;
  }

  /** A channel for one query: the shared one, or one of its own to cancel alone. */
  take(own: boolean): Channel {
    if (own) return this.#idle.pop() ?? this.#create();
    this.#sharedInFlight++;
    return (this.#shared ??= this.#create());
  }

  /**
   * Gives back a channel taken with the same `own`; `cancel` stops its query first. The
   * shared channel is only cancelled when no other query is in flight on it.
   */
  give(channel: Channel, own: boolean, cancel: boolean): void {
    if (own) {
      if (cancel) channel.cancel();
      if (this.#idle.length < this.#maxIdle) this.#idle.push(channel);
      return;
    }
    if (cancel && this.#sharedInFlight === 1) channel.cancel();
    this.#sharedInFlight--;
  }
}

export type { Channel };
