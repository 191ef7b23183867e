/**
 * The network's entities as the rest of the server sees them: read-only. Only the network
 * state (network.ts, through records.ts) changes them.
 */

/** The channel modes that are plain flags: each letter's field, in the order mode strings list them. */
export const channelFlags = { i: "inviteOnly", m: "moderated", n: "noExternal", p: "private", s: "secret", t: "topicLock" } as const;

/** The flags of channel as mode letters, e.g. `imnt`. */
export function flagLetters(channel: Channel): string {
  let letters = "";
  for (const [letter, field] of Object.entries(channelFlags)) if (channel[field]) letters += letter;
  return letters;
}

/** Channel membership flags, as bits. */
export const Member = { op: 1, voice: 2 } as const;

/** Most entries each of a channel's lists (bans, exceptions, invite exceptions) keeps (MAXLIST in 005). */
export const MAXBANS = 100;

/** A channel's mask lists: bans (b), ban exceptions (e), invite exceptions (I). */
export type ListMode = "b" | "e" | "I";

export interface Topic {
  readonly text: string;
  readonly setBy: string;
  readonly setAt: number;
}

export interface Ban {
  readonly mask: string;
  readonly setBy: string;
  readonly setAt: number;
  matches(mask: string): boolean;
}

/** One connection of a user, as delivery sees it. */
export interface Session {
  /** Capability bits (capabilities.ts). */
  readonly caps: number;
  /** Queues one line ending in CR LF (or `lines` lines joined). */
  send(line: string | Buffer, lines?: number): void;
  /** Closes the connection, its user quitting with reason (KILL). */
  end(reason: string): void;
}

/** A user: who they are on the network, and the connections they use here (none for a user of another node). */
export interface User {
  /** Unique in the network: `<node>/<number>`. */
  readonly uid: string;
  /** The node the user is connected to; undefined for a user of this node. */
  readonly home: string | undefined;
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly registered: boolean;
  readonly invisible: boolean;
  readonly oper: boolean;
  /** +B: a bot (IRCv3 bot mode); its messages carry the `bot` tag. */
  readonly bot: boolean;
  /** +w: receives WALLOPS. */
  readonly wallops: boolean;
  readonly account: string | undefined;
  /** Always-on: stays on the network with no connection. */
  readonly alwaysOn: boolean;
  /** Epoch ms since which an always-on user has had no connection (0 while it has one). */
  readonly awaySince: number;
  readonly away: string | undefined;
  readonly channels: ReadonlySet<Channel>;
  readonly sessions: readonly Session[];
  /** Epoch ms. */
  readonly signonAt: number;
  readonly lastSpoke: number;
  /** nick!user@host, the source of what this user says. */
  readonly mask: string;
}

export interface Channel {
  readonly name: string;
  readonly folded: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly members: ReadonlyMap<User, number>;
  readonly topic: Topic | undefined;
  readonly topicLock: boolean;
  readonly noExternal: boolean;
  readonly moderated: boolean;
  readonly inviteOnly: boolean;
  /** +s: not in LIST, NAMES, WHO or WHOIS for those not on it. */
  readonly secret: boolean;
  /** +p: not in WHOIS for those not on it; their LIST shows it without its topic. */
  readonly private: boolean;
  readonly key: string | undefined;
  readonly limit: number | undefined;
  readonly bans: readonly Ban[];
  /** +e: masks no ban holds for. */
  readonly exceptions: readonly Ban[];
  /** +I: masks that may join while +i. */
  readonly inviteExceptions: readonly Ban[];
  /** Folded nicks invited while +i. */
  readonly invited: ReadonlySet<string>;
  isOp(user: User): boolean;
  /** A banned member may stay but not speak unless voiced or an operator. */
  canSpeak(user: User): boolean;
  /** A ban matches and no exception does. */
  isBanned(user: User): boolean;
  /** An invite exception matches: user may join while +i. */
  isInviteExempt(user: User): boolean;
  listOf(mode: ListMode): readonly Ban[];
  /** The member's prefix for NAMES and WHO: every one with multi-prefix, else the highest. */
  prefixOf(user: User, all: boolean): string;
  /** The mode string and its arguments, e.g. `+ntkl key 10`; the key only for members. */
  modeString(showKey: boolean): string[];
}

/** True when two users are on a channel together. */
export function sharesChannel(a: User, b: User): boolean {
  for (const channel of a.channels) if (channel.members.has(b)) return true;
  return false;
}

/** Everyone who shares a channel with user, each once, without user itself. */
export function peersOf(user: User): Set<User> {
  const peers = new Set<User>();
  for (const channel of user.channels) {
    for (const member of channel.members.keys()) if (member !== user) peers.add(member);
  }
  return peers;
}
