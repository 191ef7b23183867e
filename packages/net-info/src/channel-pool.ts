import { promises as dns } from "node:dns";

type Channel = InstanceType<typeof dns.Resolver>;

/**
 * Idle c-ares channels for one set of servers. A lookup takes a channel for itself, so
 * cancel() on timeout or abort stops that lookup and no other; creating a channel costs
 * about 40 us, so they are reused.
 */
export class ChannelPool {
  readonly #idle: Channel[] = [];
  readonly #servers: string[];
  readonly #timeoutMs: number;
  readonly #maxIdle: number;

  constructor(servers: string[], timeoutMs: number, maxIdle = 128) {
    this.#servers = servers;
    this.#timeoutMs = timeoutMs;
    this.#maxIdle = maxIdle;
  }

  acquire(): Channel {
    const channel = this.#idle.pop();
    if (channel) return channel;
    // Two tries inside the deadline, so one lost UDP packet does not fail the lookup.
    const created = new dns.Resolver({ timeout: Math.max(10, Math.floor(this.#timeoutMs / 3)), tries: 2 });
    created.setServers(this.#servers);
    return created;
  }

  release(channel: Channel): void {
    if (this.#idle.length < this.#maxIdle) this.#idle.push(channel);
  }
}

export type { Channel };
