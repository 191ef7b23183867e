/** What a LineReader hands back: a complete line, or notice that one was too long and dropped. */
export type LineEvent = { line: Buffer } | { tooLong: true };

const LF = 10;
const CR = 13;

/**
 * Splits a byte stream into lines on CR or LF (so a CR can never hide a second command
 * inside a line). A line longer than maxBytes is reported once and dropped up to its end,
 * however long it runs, without buffering it. Empty lines (as between CR and LF) are skipped.
 * Framing bytes, not text, keeps a UTF-8 character split across two chunks whole.
 */
export class LineReader {
  private pending: Buffer | undefined;
  private discarding = false;

  constructor(private readonly maxBytes: number) {}

  /** Feeds one chunk; onEvent runs for each line it completes (a view into the chunk: copy it to keep it). */
  push(chunk: Buffer, onEvent: (event: LineEvent) => void): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    // The next CR and LF at or after start, each found by a native search (-1: none left).
    let cr = data.indexOf(CR);
    let lf = data.indexOf(LF);
    for (;;) {
      if (cr >= 0 && cr < start) cr = data.indexOf(CR, start);
      if (lf >= 0 && lf < start) lf = data.indexOf(LF, start);
      const end = cr < 0 ? lf : lf < 0 || cr < lf ? cr : lf;
      if (end < 0) break;
      if (this.discarding) this.discarding = false;
      else if (end > start) {
        if (end - start > this.maxBytes) onEvent({ tooLong: true });
        else onEvent({ line: data.subarray(start, end) });
      }
      start = end + 1;
    }
    if (start >= data.length) return;
    if (this.discarding) return;
    data = data.subarray(start);
    if (data.length > this.maxBytes) {
      this.discarding = true;
      onEvent({ tooLong: true });
      return;
    }
    // Copy so the socket's larger chunk is not kept alive by a small remainder.
    this.pending = Buffer.from(data);
  }
}
