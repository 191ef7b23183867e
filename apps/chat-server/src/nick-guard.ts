import type { Logger } from "@netlab/daemon";
import type { AccountStore } from "./accounts/store.js";
import { foldCase } from "./casemap.js";
import type { Claims } from "./state/claims.js";
import type { User } from "./state/model.js";
import type { Network } from "./state/network.js";

export interface NickGuardParts {
  store: AccountStore;
  network: Network;
  claims: Claims | undefined;
  logger: Logger;
  /** Time a user holding a registered nick has to log into it before being renamed. */
  graceMs: number;
  /** Tells the user something from NickServ. */
  notice(user: User, text: string): void;
}

/**
 * Registered nicks are their accounts' (ergo's "enforce"): a user who takes one without
 * being logged into that account is warned, and renamed to a guest nick unless it logs in
 * within the grace time.
 */
export class NickGuard {
  private readonly timers = new Map<User, NodeJS.Timeout>();
  private guests = 0;

  constructor(private readonly parts: NickGuardParts) {}

  /** user (of this node, registered) now holds its nick: if it belongs to another account, the clock starts. */
  check(user: User): void {
    const nick = user.nick;
    if (user.account !== undefined && foldCase(user.account) === foldCase(nick)) return;
    this.parts.store.get(nick).then(
      (record) => {
        if (!record || user.nick !== nick || (user.account !== undefined && foldCase(user.account) === foldCase(record.name))) return;
        const seconds = Math.max(1, Math.round(this.parts.graceMs / 1000));
        this.parts.notice(user, `The nick ${nick} is registered. Log in within ${seconds} second${seconds === 1 ? "" : "s"} (/msg NickServ IDENTIFY <password>) or you will be renamed.`);
        clearTimeout(this.timers.get(user));
        const timer = setTimeout(() => void this.expire(user, nick, record.name), this.parts.graceMs);
        timer.unref();
        this.timers.set(user, timer);
      },
      (error: unknown) => this.parts.logger.warn({ err: error }, "cannot check a nick against the accounts"),
    );
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async expire(user: User, nick: string, account: string): Promise<void> {
    this.timers.delete(user);
    const { network, claims } = this.parts;
    if (network.byUid(user.uid) !== user || user.nick !== nick || (user.account !== undefined && foldCase(user.account) === foldCase(account))) return;
    const guest = `Guest${process.pid % 1000}${++this.guests}`;
    if (claims && !(await claims.claimNick(user, guest))) return;
    if (user.nick !== nick || !network.setNick(user, guest)) return;
    this.parts.notice(user, `You did not log into ${account}: you are now ${guest}.`);
    this.parts.logger.info({ nick, guest }, "registered nick taken back");
  }
}
