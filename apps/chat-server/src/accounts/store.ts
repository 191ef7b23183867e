/** What SCRAM-SHA-256 (RFC 5802, RFC 7677) keeps of a password: never the password itself. */
export interface ScramCredentials {
  /** Base64. */
  readonly salt: string;
  readonly iterations: number;
  /** H(ClientKey), base64. */
  readonly storedKey: string;
  /** HMAC(SaltedPassword, "Server Key"), base64. */
  readonly serverKey: string;
}

/** One account as stored. */
export interface AccountRecord {
  /** As registered (its case kept); stores key it by its folded form (casemap.ts foldCase). */
  readonly name: string;
  /** scrypt hash in PHC form: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>` (passwords.ts). */
  readonly password: string;
  readonly scram: ScramCredentials;
  readonly email: string | undefined;
  /** Epoch ms. */
  readonly registeredAt: number;
  /** SHA-256 fingerprints (lowercase hex, no colons) of TLS client certificates that log in as this account (SASL EXTERNAL). */
  readonly certfps: readonly string[];
  /** Always-on chosen by the user; undefined follows the server's default. */
  readonly alwaysOn: boolean | undefined;
}

/** What may change in an account after it is created. */
export type AccountPatch = Partial<Pick<AccountRecord, "password" | "scram" | "email" | "certfps" | "alwaysOn">>;

/** An always-on user while no device is connected: where it was, and up to when it had seen messages. */
export interface Presence {
  readonly nick: string;
  /** Channel names as joined. */
  readonly channels: readonly string[];
  /** Epoch ms: messages after this time are replayed to the next device. */
  readonly seen: number;
}

/** Accounts, channel founders, read markers and always-on presences: SQLite on one node, Redis in a cluster. */
export interface AccountStore {
  /** Adds an account; false when one with that (folded) name exists. */
  create(record: AccountRecord): Promise<boolean>;
  get(name: string): Promise<AccountRecord | undefined>;
  /** The account a client certificate fingerprint is linked to. */
  byCertfp(fingerprint: string): Promise<string | undefined>;
  /** Changes an existing account (a fingerprint moved here leaves any other account); false when it does not exist. */
  update(name: string, patch: AccountPatch): Promise<boolean>;
  /** Deletes an account with its fingerprints, read markers, presence and founded channels; false when it did not exist. */
  drop(name: string): Promise<boolean>;

  /** Makes account the founder of channel unless it has one; the founder after the call. */
  claimChannel(channel: string, account: string): Promise<string>;
  founder(channel: string): Promise<string | undefined>;
  /** The channel has no founder any more. */
  releaseChannel(channel: string): Promise<void>;

  /** Sets account's read marker on target (a channel or nick) unless it would move back; the marker after the call (ISO 8601 time). */
  setReadMarker(account: string, target: string, timestamp: string): Promise<string>;
  readMarker(account: string, target: string): Promise<string | undefined>;

  savePresence(account: string, presence: Presence): Promise<void>;
  presence(account: string): Promise<Presence | undefined>;
  /** Every stored presence, by account name. */
  presences(): Promise<Map<string, Presence>>;
  dropPresence(account: string): Promise<void>;

  close(): Promise<void>;
}
