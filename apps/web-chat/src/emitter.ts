// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a listener of any event's arguments
type AnyListener = (...args: any[]) => void;

/** Listener lists by event name, typed: the browser has no node:events. */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  /** Calls listener on each event; the returned function stops that. */
  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}
