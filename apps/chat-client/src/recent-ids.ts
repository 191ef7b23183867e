/** The last `size` ids added, for "have I shown this one already?" without growing forever. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly size = 10_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    // A Set iterates in insertion order: the first one is the oldest.
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value as string);
  }
}
