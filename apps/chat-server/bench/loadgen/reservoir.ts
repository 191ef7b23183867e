// Keeps a uniform sample of latencies in fixed memory, however many deliveries there are.

export class Reservoir {
  readonly values: Float64Array;
  /** How many values were offered since the last clear. */
  seen = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  add(value: number): void {
    if (this.seen < this.values.length) this.values[this.seen] = value;
    else {
      // Algorithm R: the n-th value replaces a random slot with probability size/n.
      const slot = Math.floor(Math.random() * (this.seen + 1));
      if (slot < this.values.length) this.values[slot] = value;
    }
    this.seen++;
  }

  /** The kept values (a copy). */
  kept(): Float64Array {
    return this.values.slice(0, Math.min(this.seen, this.values.length));
  }

  clear(): void {
    this.seen = 0;
  }
}

/**
 * Pools samples from several reservoirs so that each counts in proportion to the values it saw:
 * a reservoir that saw more than it kept is the scarcest, and the others are thinned to its rate.
 */
export function pool(parts: { seen: number; values: Float64Array }[]): number[] {
  const rate = Math.min(1, ...parts.filter((part) => part.seen > 0).map((part) => part.values.length / part.seen));
  const out: number[] = [];
  for (const part of parts) {
    const take = Math.min(part.values.length, Math.round(part.seen * rate));
    // The reservoir's order is arrival order until it fills: take a random subset, not a prefix.
    const picked = part.values.slice();
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(Math.random() * (picked.length - i));
      const swap = picked[i] as number;
      picked[i] = picked[j] as number;
      picked[j] = swap;
      out.push(picked[i] as number);
    }
  }
  return out;
}
