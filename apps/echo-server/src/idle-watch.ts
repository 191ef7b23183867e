// Quiet checks in a row that make a connection idle: it closes after idleMs to 1.25 x idleMs without traffic.
const CHECKS = 4;

/**
 * Notices a connection with no traffic for idleMs. The echo path only sets `active` per chunk; a
 * coarse timer reads and clears it. (socket.setTimeout re-arms a timer on every read and write,
 * which cost echo-server an eighth of its work per ping-pong message.) `progress`, read at each
 * check, counts as traffic when it changed: e.g. the write queue of a slow reader shrinking.
 */
export class IdleWatch {
  /** Set on traffic; cleared by each check. */
  active = false;
  #quiet = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(idleMs: number, onIdle: () => void, progress: () => number = () => 0) {
    let last = progress();
    this.#timer = setInterval(() => {
      const now = progress();
      if (this.active || now !== last) {
        this.active = false;
        this.#quiet = 0;
        last = now;
      } else if (++this.#quiet >= CHECKS) {
        this.stop();
        onIdle();
      }
    }, idleMs / CHECKS);
    // An idle check alone must not keep the process alive.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
