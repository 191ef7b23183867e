/** Redis key and channel names of one network, all under one prefix ("netlab" by default). */
export class ClusterKeys {
  constructor(readonly prefix: string) {}

  /** Pub/sub channel every node listens to. */
  get events(): string {
    return `${this.prefix}:events`;
  }

  /** Set of the node ids in the network. */
  get nodes(): string {
    return `${this.prefix}:nodes`;
  }

  /** Pub/sub channel for lines to one node's users. */
  direct(node: string): string {
    return `${this.prefix}:node:${node}`;
  }

  /** String: the uid that owns a (folded) nick. */
  nick(folded: string): string {
    return `${this.prefix}:nick:${folded}`;
  }

  /** Hash uid -> UserInfo JSON of a node's users; written only by that node (or the cleaner once it is lost). */
  users(node: string): string {
    return `${this.prefix}:users:${node}`;
  }

  /** String: ChannelInfo JSON of a (folded) channel. */
  channel(folded: string): string {
    return `${this.prefix}:chan:${folded}`;
  }

  /** A node's lease: exists while the node is alive. */
  lease(node: string): string {
    return `${this.prefix}:lease:${node}`;
  }

  /** Lock taken by the one survivor that cleans a lost node's keys. */
  cleanup(node: string): string {
    return `${this.prefix}:cleanup:${node}`;
  }
}

/** Claims KEYS[1] for ARGV[1]: 1 when free or already ours, 0 when someone else holds it. */
export const claimScript = `
local holder = redis.call('GET', KEYS[1])
if not holder then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
if holder == ARGV[1] then return 1 end
return 0`;

/** Deletes KEYS[1] only while ARGV[1] holds it. */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
