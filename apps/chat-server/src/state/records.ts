import { foldCase } from "../casemap.js";
import { globMatcher } from "../glob.js";
import { MAXBANS, Member, type Ban, type Channel, type Session, type Topic, type User } from "./model.js";

/** A user as the network state keeps it; only network.ts writes its fields. */
export class UserRecord implements User {
  nick = "*";
  user = "";
  realname = "";
  registered = false;
  invisible = false;
  oper = false;
  account: string | undefined;
  away: string | undefined;
  readonly channels = new Set<ChannelRecord>();
  sessions: Session[] = [];
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
  readonly createdAt = Math.floor(Date.now() / 1000);
  topic: Topic | undefined;
  topicLock = true;
  noExternal = true;
  moderated = false;
  inviteOnly = false;
  key: string | undefined;
  limit: number | undefined;
  readonly bans: Ban[] = [];
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
    return this.bans.some((ban) => ban.matches(mask));
  }

  /** Adds a ban; false when it is already there or the list is full. */
  addBan(mask: string, setBy: string, setAt = Math.floor(Date.now() / 1000)): boolean {
    if (this.bans.length >= MAXBANS || this.bans.some((ban) => ban.mask === mask)) return false;
    this.bans.push({ mask, setBy, setAt, matches: globMatcher(mask) });
    return true;
  }

  removeBan(mask: string): boolean {
    const at = this.bans.findIndex((ban) => ban.mask.toLowerCase() === mask.toLowerCase());
    if (at < 0) return false;
    this.bans.splice(at, 1);
    return true;
  }

  prefixOf(user: User, all: boolean): string {
    const flags = this.members.get(user as UserRecord) ?? 0;
    const op = flags & Member.op ? "@" : "";
    const voice = flags & Member.voice ? "+" : "";
    return all ? op + voice : op || voice;
  }

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
