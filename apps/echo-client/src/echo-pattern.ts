import { randomFillSync, randomInt } from "node:crypto";

// A prime period: message and read sizes (powers of two, round numbers) never line up with it,
// so a lost, repeated or misplaced chunk lands on bytes that differ.
const PERIOD = 65_521;

/**
 * The bytes a verifying bench sends: one random pattern, read at a position that advances with
 * every byte, so each connection's stream is distinct and every echoed byte has one right value.
 * Slices are views of one buffer: sending allocates no copy.
 */
export class EchoPattern {
  readonly #bytes: Buffer;
  readonly #span: number;

  /** span: the longest slice sent or checked at once. */
  constructor(span: number) {
    this.#span = Math.max(1, span);
    const bytes = Buffer.allocUnsafe(PERIOD + this.#span);
    randomFillSync(bytes, 0, PERIOD);
    // The tail repeats the head, so a slice that runs past the period reads on as if it wrapped.
    for (let at = PERIOD; at < bytes.length; at += PERIOD) bytes.copy(bytes, at, 0, Math.min(PERIOD, bytes.length - at));
    this.#bytes = bytes;
  }

  /** A random place to start a connection's stream, so that two connections' bytes differ. */
  static start(): number {
    return randomInt(PERIOD);
  }

  /** The length bytes at stream position offset (length <= span). */
  slice(offset: number, length: number): Buffer {
    const at = offset % PERIOD;
    return this.#bytes.subarray(at, at + length);
  }

  /** -1 if data[0, length) is what belongs at stream position offset, else the first position that differs. */
  firstDifference(data: Buffer, length: number, offset: number): number {
    for (let done = 0; done < length; done += this.#span) {
      const part = Math.min(this.#span, length - done);
      const at = (offset + done) % PERIOD;
      if (data.compare(this.#bytes, at, at + part, done, done + part) === 0) continue;
      for (let i = 0; i < part; i++) if (data[done + i] !== this.#bytes[at + i]) return offset + done + i;
    }
    return -1;
  }
}
