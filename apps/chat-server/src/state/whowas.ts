import { foldCase } from "../casemap.js";
import type { User } from "./model.js";

/** Who used a nick, kept for WHOWAS. */
export interface WhowasEntry {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly at: number;
}

/** The last `size` nicks given up (by NICK or by leaving), newest last. */
export class Whowas {
  private readonly entries: WhowasEntry[] = [];

  constructor(private readonly size: number) {}

  remember(user: User): void {
    this.entries.push({ nick: user.nick, user: user.user, host: user.host, realname: user.realname, at: Date.now() });
    if (this.entries.length > this.size) this.entries.shift();
  }

  /** Entries for nick, newest first. */
  find(nick: string): WhowasEntry[] {
    const wanted = foldCase(nick);
    return this.entries.filter((entry) => foldCase(entry.nick) === wanted).reverse();
  }
}
