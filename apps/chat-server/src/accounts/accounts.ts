import { foldCase } from "../casemap.js";
import { isValidNick } from "../names.js";
import { AttemptLimiter, type AttemptLimit } from "./attempt-limiter.js";
import { checkPasswordRules, defaultScryptCost, hashPassword, PasswordError, scramCredentials, verifyPassword, type ScryptCost } from "./passwords.js";
import { ScramExchange } from "./scram.js";
import type { LoggedIn } from "./logged-in.js";
import type { AccountRecord, AccountStore } from "./store.js";

export interface AccountsOptions {
  store: AccountStore;
  /** scrypt cost of new password hashes (old hashes keep theirs). */
  cost: ScryptCost;
  /** PBKDF2 iterations of new SCRAM-SHA-256 credentials. */
  scramIterations: number;
  /** Failed logins one account may have per window, then its logins are refused until the window ends. */
  loginsPerAccount: AttemptLimit;
  /** Failed logins one client address may have per window. */
  loginsPerAddress: AttemptLimit;
  /** Accounts one client address may register per window. */
  registrationsPerAddress: AttemptLimit;
  /** Always-on for accounts that did not choose. */
  alwaysOnDefault: boolean;
  /** REGISTER needs an email address (`email-required`); there is no mail sending, so it is only kept. */
  emailRequired: boolean;
  /** REGISTER works before the connection is registered (`before-connect`). */
  beforeConnect: boolean;
  /** Time a user holding another account's nick has to log in before it is renamed (0: nicks are not enforced). */
  nickGraceMs: number;
}

/** Accounts settings but the store: what a server has unless told otherwise. */
export const defaultAccountsOptions: Omit<AccountsOptions, "store"> = {
  cost: defaultScryptCost,
  scramIterations: 4096,
  loginsPerAccount: { max: 5, windowMs: 60_000 },
  loginsPerAddress: { max: 20, windowMs: 60_000 },
  registrationsPerAddress: { max: 10, windowMs: 600_000 },
  alwaysOnDefault: false,
  emailRequired: false,
  beforeConnect: true,
  nickGraceMs: 30_000,
};

/** Why a login did not succeed: a wrong name or password (never said which), or too many attempts. */
export type LoginFailure = "bad" | "throttled";

export type RegisterResult = "ok" | "exists" | "bad-name" | "bad-password" | "throttled";

/** Accounts: registration, logins (passwords, SCRAM, certificates) with their abuse limits, over a store. */
export class Accounts {
  private readonly perAccount: AttemptLimiter;
  private readonly perAddress: AttemptLimiter;
  private readonly registrations: AttemptLimiter;

  constructor(readonly options: AccountsOptions) {
    this.perAccount = new AttemptLimiter(options.loginsPerAccount);
    this.perAddress = new AttemptLimiter(options.loginsPerAddress);
    this.registrations = new AttemptLimiter(options.registrationsPerAddress);
  }

  get store(): AccountStore {
    return this.options.store;
  }

  async register(name: string, password: string, email: string | undefined, ip: string): Promise<RegisterResult> {
    if (!isValidNick(name)) return "bad-name";
    try {
      checkPasswordRules(password);
    } catch (error) {
      if (error instanceof PasswordError) return "bad-password";
      throw error;
    }
    if (!this.registrations.allowed(ip)) return "throttled";
    if (await this.store.get(name)) return "exists";
    this.registrations.count(ip);
    const record: AccountRecord = {
      name,
      password: await hashPassword(password, this.options.cost),
      scram: await scramCredentials(password, this.options.scramIterations),
      email,
      registeredAt: Date.now(),
      certfps: [],
      alwaysOn: undefined,
    };
    return (await this.store.create(record)) ? "ok" : "exists";
  }

  /** Checks a password (SASL PLAIN, NickServ IDENTIFY); the account's name as registered, or why not. */
  async login(name: string, password: string, ip: string): Promise<LoggedIn | { failure: LoginFailure }> {
    const key = foldCase(name);
    if (!this.perAddress.allowed(ip) || !this.perAccount.allowed(key)) return { failure: "throttled" };
    const record = await this.store.get(name);
    // An unknown name costs a hash too, so timing does not tell which accounts exist.
    const ok = record ? await verifyPassword(password, record.password) : (await verifyPassword(password, await this.decoy()), false);
    if (ok && record) return this.loggedIn(record);
    this.perAddress.count(ip);
    this.perAccount.count(key);
    return { failure: "bad" };
  }

  /** A SCRAM-SHA-256 exchange for a client at ip; a throttled account or address fails at its proof. */
  scram(ip: string): ScramExchange {
    return new ScramExchange(async (name) => {
      if (!this.perAddress.allowed(ip) || !this.perAccount.allowed(foldCase(name))) return undefined;
      return (await this.store.get(name))?.scram;
    });
  }

  /** Counts a failed SCRAM proof against the client's address and the account. */
  scramFailed(name: string | undefined, ip: string): void {
    this.perAddress.count(ip);
    if (name) this.perAccount.count(foldCase(name));
  }

  /** The account a TLS client certificate is linked to (SASL EXTERNAL). */
  async byCertfp(fingerprint: string): Promise<LoggedIn | undefined> {
    const name = await this.store.byCertfp(fingerprint);
    const record = name === undefined ? undefined : await this.store.get(name);
    return record && this.loggedIn(record);
  }

  /** A login to the account called name (its name as registered), once its credentials were checked. */
  async find(name: string): Promise<LoggedIn | undefined> {
    const record = await this.store.get(name);
    return record && this.loggedIn(record);
  }

  private loggedIn(record: AccountRecord): LoggedIn {
    return { account: record.name, alwaysOn: record.alwaysOn ?? this.options.alwaysOnDefault };
  }

  async setPassword(name: string, password: string): Promise<"ok" | "bad-password" | "missing"> {
    try {
      checkPasswordRules(password);
    } catch (error) {
      if (error instanceof PasswordError) return "bad-password";
      throw error;
    }
    const updated = await this.store.update(name, { password: await hashPassword(password, this.options.cost), scram: await scramCredentials(password, this.options.scramIterations) });
    return updated ? "ok" : "missing";
  }

  private decoyHash: Promise<string> | undefined;

  private decoy(): Promise<string> {
    return (this.decoyHash ??= hashPassword("decoy password", this.options.cost));
  }
}
