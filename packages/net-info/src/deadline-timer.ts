const noop = (): void => undefined;

interface Queue {
  entries: DeadlineEntry[];
  head: number;
}

/** One pending deadline; cancel it with DeadlineTimer#cancel. */
export interface DeadlineEntry {
  at: number;
  expire: () => void;
  done: boolean;
  queue: Queue;
}

/**
 * Many deadlines on one timer, for a resolver's hot path: a setTimeout per lookup costs
 * more than the rest of our code around a query. Deadlines of one duration expire in the
 * order they were added, so each duration keeps a FIFO queue and the timer is armed for
 * the earliest head.
 */
export class DeadlineTimer {
  readonly #queues = new Map<number, Queue>();
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Number.POSITIVE_INFINITY;

  /** Calls expire after ms milliseconds, unless cancelled first. */
  add(ms: number, expire: () => void): DeadlineEntry {
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = { entries: [], head: 0 };
      this.#queues.set(ms, queue);
    }
    const entry: DeadlineEntry = { at: performance.now() + ms, expire, done: false, queue };
    queue.entries.push(entry);
    if (entry.at < this.#armedAt) this.#arm(entry.at);
    return entry;
  }

  cancel(entry: DeadlineEntry): void {
    entry.done = true;
    // The entry may wait in the queue a while: let what its callback holds be collected.
    entry.expire = noop;
    DeadlineTimer.#trim(entry.queue);
  }

  // Drops finished entries from the head, and the array's dead prefix now and then.
  static #trim(queue: Queue): void {
    while (queue.entries[queue.head]?.done === true) queue.head++;
    if (queue.head > 1024 && queue.head * 2 > queue.entries.length) {
      queue.entries = queue.entries.slice(queue.head);
      queue.head = 0;
    }
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(at - performance.now())));
    // The query a deadline guards keeps the process alive; the timer alone should not.
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [ms, queue] of this.#queues) {
      DeadlineTimer.#trim(queue);
      for (let entry = queue.entries[queue.head]; entry !== undefined && entry.at <= now; entry = queue.entries[queue.head]) {
        queue.head++;
        if (!entry.done) {
          const expire = entry.expire;
          entry.done = true;
          entry.expire = noop;
          expire();
        }
        DeadlineTimer.#trim(queue);
      }
      const head = queue.entries[queue.head];
      if (head === undefined) this.#queues.delete(ms);
      else next = Math.min(next, head.at);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}
