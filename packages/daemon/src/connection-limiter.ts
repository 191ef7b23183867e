export interface ConnectionLimits {
  /** Open connections at once, all clients together; 0 or Infinity means no limit. */
  maxConnections: number;
  /** Open connections at once from one client address; 0 or Infinity means no limit. */
  maxPerAddress: number;
}

export type Admission = { ok: true } | { ok: false; reason: "max-connections" | "max-per-address" };

function limitOf(value: number): number {
  return value > 0 ? value : Number.POSITIVE_INFINITY;
}

/** Counts open connections overall and per client address, and says whether one more may come in. */
export class ConnectionLimiter {
  readonly #maxConnections: number;
  readonly #maxPerAddress: number;
  readonly #perAddress = new Map<string, number>();
  #open = 0;

  constructor(limits: ConnectionLimits) {
    this.#maxConnections = limitOf(limits.maxConnections);
    this.#maxPerAddress = limitOf(limits.maxPerAddress);
  }

  /** Open connections now. */
  get size(): number {
    return this.#open;
  }

  /** Open connections now from one address. */
  countFor(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  /** Admits and counts a connection, or says which limit refused it (nothing is counted then). */
  acquire(address: string): Admission {
    if (this.#open >= this.#maxConnections) return { ok: false, reason: "max-connections" };
    const current = this.#perAddress.get(address) ?? 0;
    if (current >= this.#maxPerAddress) return { ok: false, reason: "max-per-address" };
    this.#perAddress.set(address, current + 1);
    this.#open++;
    return { ok: true };
  }

  /** Forgets one admitted connection from address; call it exactly once per successful acquire. */
  release(address: string): void {
    const current = this.#perAddress.get(address);
    if (current === undefined) return;
    if (current <= 1) this.#perAddress.delete(address);
    else this.#perAddress.set(address, current - 1);
    this.#open--;
  }
}
