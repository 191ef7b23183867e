import type { User } from "./model.js";
import type { ChannelInfo } from "./snapshot.js";

/** What a channel claim found: a new channel, or one another node created (its modes, key, limit, bans, invites). */
export type ChannelClaim = { created: true } | { created: false; state?: ChannelInfo };

/** Network-wide ownership of names, asked before a nick or a new channel is taken (cluster mode). */
export interface Claims {
  /** Claims nick for user across the network; false when another node holds it. */
  claimNick(user: User, nick: string): Promise<boolean>;
  /** Claims the creation of a channel no node here knows of: created when the caller creates it (and is its operator). */
  claimChannel(name: string): Promise<ChannelClaim>;
}
