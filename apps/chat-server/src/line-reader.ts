/** What a LineReader hands back: a complete line, or notice that one was too long and dropped. */
export type LineEvent = { line: Buffer } | { tooLong: true };

/**
 * Splits a byte stream into lines on CR or LF (so a CR can never hide a second command
 * inside a line). A line longer than maxBytes is reported once and dropped up to its end,
 * however long it runs, without buffering it.
 */
export class LineReader {
  private pending: Buffer | undefined;
  private discarding = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer, onEvent: (event: LineEvent) => void): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    for (let i = 0; i < data.length; i++) {
      const byte = data[i];
      if (byte !== 10 && byte !== 13) continue;
      if (this.discarding) this.discarding = false;
      else if (i > start) {
        if (i - start > this.maxBytes) onEvent({ tooLong: true });
        else onEvent({ line: data.subarray(start, i) });
      }
      start = i + 1;
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
