import type { AccountStore } from "./accounts/store.js";
import { foldCase } from "./casemap.js";
import type { User } from "./state/model.js";

/**
 * Read markers (draft/read-marker): per account and target in the account store, so they
 * follow the account to every device and node; for a user without an account, in memory
 * for as long as the user is here.
 */
export class ReadMarkers {
  private readonly anonymous = new WeakMap<User, Map<string, string>>();

  constructor(private readonly store: AccountStore | undefined) {}

  async get(user: User, target: string): Promise<string | undefined> {
    if (user.account !== undefined && this.store) return this.store.readMarker(user.account, foldCase(target));
    return this.anonymous.get(user)?.get(foldCase(target));
  }

  /** Moves the marker forward (never back); the marker after the call. */
  async set(user: User, target: string, timestamp: string): Promise<string> {
    if (user.account !== undefined && this.store) return this.store.setReadMarker(user.account, foldCase(target), timestamp);
    let markers = this.anonymous.get(user);
    if (!markers) this.anonymous.set(user, (markers = new Map()));
    const key = foldCase(target);
    const current = markers.get(key);
    if (current !== undefined && Date.parse(current) >= Date.parse(timestamp)) return current;
    markers.set(key, timestamp);
    return timestamp;
  }
}
