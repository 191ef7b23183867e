/** Lines typed before, recalled with Up and Down in the input box as in a shell. */
export class InputHistory {
  private readonly lines: string[] = [];
  private position = 0;
  private draft = "";

  constructor(private readonly limit = 100) {}

  add(line: string): void {
    if (line && this.lines[this.lines.length - 1] !== line) this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
    this.position = this.lines.length;
    this.draft = "";
  }

  /** The line before the one shown (current: what the box holds now); undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.lines.length) this.draft = current;
    return this.lines[--this.position];
  }

  /** The line after the one shown, the unsent draft after the newest; undefined past that. */
  next(): string | undefined {
    if (this.position >= this.lines.length) return undefined;
    this.position++;
    return this.position === this.lines.length ? this.draft : this.lines[this.position];
  }
}
