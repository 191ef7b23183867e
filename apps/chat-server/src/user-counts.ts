import type { Change } from "./state/changes.js";

/** Registered users of this node now, and the most there have been at once since it started: here, and on the whole network (265/266). */
export interface UserPeaks {
  /** Registered users of this node now. */
  readonly current: number;
  readonly local: number;
  readonly global: number;
}

/**
 * Counts this node's registered users from the changes of the network state and keeps the
 * peaks; the network's count is this node's plus `remoteUsers()`. Kept by the server, not
 * in the network state: every node has its own.
 */
export class UserCounts implements UserPeaks {
  /** Registered users of this node now. */
  current = 0;
  local = 0;
  global = 0;

  constructor(private readonly remoteUsers: () => number) {}

  readonly observe = (change: Change): void => {
    if (change.kind === "register") {
      if (change.remote === undefined) this.local = Math.max(this.local, ++this.current);
      this.global = Math.max(this.global, this.current + this.remoteUsers());
    } else if (change.kind === "quit" && change.user.home === undefined && change.user.registered) {
      this.current--;
    }
  };
}
