import { foldCase } from "./casemap.js";
import type { Client } from "./client.js";
import { globMatcher } from "./glob.js";

/** Channel membership flags, as bits. */
export const Member = { op: 1, voice: 2 } as const;

export interface Ban {
  mask: string;
  setBy: string;
  setAt: number;
  matches: (mask: string) => boolean;
}

/** Most bans one channel keeps (MAXLIST in 005). */
export const MAXBANS = 100;

export interface Topic {
  text: string;
  setBy: string;
  setAt: number;
}

/** One channel: its members with their flags, modes, topic and pending invites. */
export class Channel {
  readonly folded: string;
  readonly members = new Map<Client, number>();
  readonly createdAt = Math.floor(Date.now() / 1000);
  topic: Topic | undefined;
  topicLock = true;
  noExternal = true;
  moderated = false;
  inviteOnly = false;
  key: string | undefined;
  limit: number | undefined;
  readonly bans: Ban[] = [];
  /** Folded nicks invited while +i. */
  readonly invited = new Set<string>();

  constructor(readonly name: string) {
    this.folded = foldCase(name);
  }

  isOp(client: Client): boolean {
    return ((this.members.get(client) ?? 0) & Member.op) !== 0;
  }

  /** A banned member may stay but not speak unless voiced or an operator. */
  canSpeak(client: Client): boolean {
    const flags = this.members.get(client);
    if (flags === undefined) return !this.noExternal && !this.moderated && !this.isBanned(client);
    if (flags !== 0) return true;
    return !this.moderated && !this.isBanned(client);
  }

  isBanned(client: Client): boolean {
    if (this.bans.length === 0) return false;
    const mask = client.mask;
    return this.bans.some((ban) => ban.matches(mask));
  }

  /** Adds a ban; false when it is already there or the list is full. */
  addBan(mask: string, setBy: string): boolean {
    if (this.bans.length >= MAXBANS || this.bans.some((ban) => ban.mask === mask)) return false;
    this.bans.push({ mask, setBy, setAt: Math.floor(Date.now() / 1000), matches: globMatcher(mask) });
    return true;
  }

  removeBan(mask: string): boolean {
    const at = this.bans.findIndex((ban) => ban.mask.toLowerCase() === mask.toLowerCase());
    if (at < 0) return false;
    this.bans.splice(at, 1);
    return true;
  }

  /** The member's prefix for NAMES and WHO: every one with multi-prefix, else the highest. */
  prefixOf(client: Client, all: boolean): string {
    const flags = this.members.get(client) ?? 0;
    const op = flags & Member.op ? "@" : "";
    const voice = flags & Member.voice ? "+" : "";
    return all ? op + voice : op || voice;
  }

  /** The mode string and its arguments, e.g. `+ntkl key 10`; the key only for members. */
  modeString(showKey: boolean): string[] {
    let flags = "+";
    const args: string[] = [];
    if (this.inviteOnly) flags += "i";
    if (this.moderated) flags += "m";
    if (this.noExternal) flags += "n";
    if (this.topicLock) flags += "t";
    if (this.key !== undefined) {
      flags += "k";
      args.push(showKey ? this.key : "*");
    }
    if (this.limit !== undefined) {
      flags += "l";
      args.push(String(this.limit));
    }
    return [flags, ...args];
  }
}
