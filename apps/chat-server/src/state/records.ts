import { foldCase } from "../casemap.js";
import { globMatcher } from "../glob.js";
import { flagLetters, MAXBANS, Member, type Ban, type Channel, type ListMode, type Session, type Topic, type User } from "./model.js";

/** A user as the network state keeps it; only network.ts writes its fields. */
export class UserRecord implements User {
  nick = "*";
  user = "";
  realname = "";
  registered = false;
  invisible = false;
  oper = false;
  bot = false;
  wallops = false;
  account: string | undefined;
  away: string | undefined;
  readonly channels = new Set<ChannelRecord>();
  sessions: Session[] = [];
  /** Always-on: the user stays on the network with no connection. */
  alwaysOn = false;
  /** Epoch ms since which an always-on user had no connection (0 while it has one): what a returning device missed. */
  awaySince = 0;
  readonly signonAt = Date.now();
  lastSpoke = Date.now();

  constructor(
    readonly uid: string,
    public host: string,
    readonly home: string | undefined,
  ) {}

  get mask(): string {
    return `${this.nick}!${this.user}@${this.host}`;
  }
}

/** A channel as the network state keeps it; only network.ts writes its fields. */
export class ChannelRecord implements Channel {
  readonly folded: string;
  readonly members = new Map<UserRecord, number>();
  /** Another node's word replaces it (ChannelInfo.created): the channel is as old as on its first node. */
  createdAt = Math.floor(Date.now() / 1000);
  topic: Topic | undefined;
  topicLock = true;
  noExternal = true;
  moderated = false;
  inviteOnly = false;
  secret = false;
  private = false;
  key: string | undefined;
  limit: number | undefined;
  readonly bans: Ban[] = [];
  readonly exceptions: Ban[] = [];
  readonly inviteExceptions: Ban[] = [];
  readonly invited = new Set<string>();

  constructor(readonly name: string) {
    this.folded = foldCase(name);
  }

  isOp(user: User): boolean {
    return ((this.members.get(user as UserRecord) ?? 0) & Member.op) !== 0;
  }

  canSpeak(user: User): boolean {
    const flags = this.members.get(user as UserRecord);
    if (flags === undefined) return !this.noExternal && !this.moderated && !this.isBanned(user);
    if (flags !== 0) return true;
    return !this.moderated && !this.isBanned(user);
  }

  isBanned(user: User): boolean {
    if (this.bans.length === 0) return false;
    const mask = user.mask;
    // Exceptions are looked at only once a ban matched: a channel without bans pays nothing.
    return this.bans.some((ban) => ban.matches(mask)) && !this.exceptions.some((exception) => exception.matches(mask));
  }

  isInviteExempt(user: User): boolean {
    if (this.inviteExceptions.length === 0) return false;
    const mask = user.mask;
    return this.inviteExceptions.some((exception) => exception.matches(mask));
  }

  listOf(mode: ListMode): Ban[] {
    return mode === "b" ? this.bans : mode === "e" ? this.exceptions : this.inviteExceptions;
  }

  /** Adds a mask to the b, e or I list; false when it is already there or the list is full. */
  addListed(mode: ListMode, mask: string, setBy: string, setAt = Math.floor(Date.now() / 1000)): boolean {
    const list = this.listOf(mode);
    if (list.length >= MAXBANS || list.some((entry) => entry.mask.toLowerCase() === mask.toLowerCase())) return false;
    list.push({ mask, setBy, setAt, matches: globMatcher(mask) });
    return true;
  }

  removeListed(mode: ListMode, mask: string): boolean {
    const list = this.listOf(mode);
    const at = list.findIndex((entry) => entry.mask.toLowerCase() === mask.toLowerCase());
    if (at < 0) return false;
    list.splice(at, 1);
    return true;
  }

  prefixOf(user: User, all: boolean): string {
    const flags = this.members.get(user as UserRecord) ?? 0;
    const op = flags & Member.op ? "@" : "";
    const voice = flags & Member.voice ? "+" : "";
    return all ? op + voice : op || voice;
  }

  modeString(showKey: boolean): string[] {
    let flags = "+" + flagLetters(this);
    const args: string[] = [];
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
