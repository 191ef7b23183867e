import { Redis } from "ioredis";
import { foldCase } from "../casemap.js";
import { AccountStoreError, isStringList, markerTime, oneLine, stringList } from "./account-store-error.js";
import type { AccountPatch, AccountRecord, AccountStore, Presence, ScramCredentials } from "./store.js";

export interface RedisAccountsOptions {
  /** redis:// or rediss:// URL; the store opens a connection of its own. */
  url: string;
  /** First part of every key ("netlab"). */
  prefix?: string;
  /** How long a command may wait for Redis before it fails, in ms. */
  timeoutMs?: number;
}

// Every script gets the key prefix as ARGV[1] and builds its keys from it: the keys of a
// fingerprint's previous owner or of an account's founded channels are only known inside
// the script, which is what makes each call one atomic step. Fine on one Redis server (the
// deployment redis-history.ts targets too), not on Redis Cluster.
const prelude = `
local prefix = ARGV[1]
local function key(kind, name) return prefix .. ':' .. kind .. ':' .. name end
-- casemap.ts foldCase: bytes A-Z and [\\]^ (65-94) fold to a-z and {|}~.
local function fold(s) return (string.gsub(s, '[A-^]', function(c) return string.char(string.byte(c) + 32) end)) end
local function encode(list)
  local parts = {}
  for i, item in ipairs(list) do parts[i] = cjson.encode(item) end
  return '[' .. table.concat(parts, ',') .. ']'
end
local function certfps(account)
  local raw = redis.call('HGET', key('acct', account), 'certfps')
  return raw and cjson.decode(raw) or {}
end
-- Links the fingerprints to account, in order; each leaves the account it was linked to.
local function link(account, fps)
  for _, fp in ipairs(fps) do
    local owner = redis.call('GET', key('acct-cert', fp))
    if owner and owner ~= account and redis.call('EXISTS', key('acct', owner)) == 1 then
      local kept = {}
      for _, other in ipairs(certfps(owner)) do if other ~= fp then kept[#kept + 1] = other end end
      redis.call('HSET', key('acct', owner), 'certfps', encode(kept))
    end
    redis.call('SET', key('acct-cert', fp), account)
  end
  redis.call('HSET', key('acct', account), 'certfps', encode(fps))
end
local function unlink(account)
  for _, fp in ipairs(certfps(account)) do
    if redis.call('GET', key('acct-cert', fp)) == account then redis.call('DEL', key('acct-cert', fp)) end
  end
end
`;

// ARGV: prefix, folded name, certfps JSON, then field/value pairs. 1 when created, 0 when the name is taken.
const createScript = `${prelude}
local account = ARGV[2]
if redis.call('EXISTS', key('acct', account)) == 1 then return 0 end
redis.call('HSET', key('acct', account), unpack(ARGV, 4))
link(account, cjson.decode(ARGV[3]))
return 1
`;

// ARGV: prefix, folded name, certfps JSON or "" to keep them, JSON list of fields to delete, then field/value pairs.
const updateScript = `${prelude}
local account = ARGV[2]
if redis.call('EXISTS', key('acct', account)) == 0 then return 0 end
if #ARGV >= 6 then redis.call('HSET', key('acct', account), unpack(ARGV, 5)) end
for _, field in ipairs(cjson.decode(ARGV[4])) do redis.call('HDEL', key('acct', account), field) end
if ARGV[3] ~= '' then
  unlink(account)
  link(account, cjson.decode(ARGV[3]))
end
return 1
`;

// ARGV: prefix, folded name. 1 when the account existed; its other data goes either way.
const dropScript = `${prelude}
local account = ARGV[2]
local existed = redis.call('EXISTS', key('acct', account))
unlink(account)
for _, channel in ipairs(redis.call('SMEMBERS', key('acct-founded', account))) do
  local founder = redis.call('GET', key('founder', channel))
  if founder and fold(founder) == account then redis.call('DEL', key('founder', channel)) end
end
redis.call('DEL', key('acct', account), key('acct-founded', account), key('markers', account))
redis.call('HDEL', prefix .. ':presences', account)
return existed
`;

// ARGV: prefix, folded channel, account. The founder after the call.
const claimScript = `${prelude}
local current = redis.call('GET', key('founder', ARGV[2]))
if current then return current end
redis.call('SET', key('founder', ARGV[2]), ARGV[3])
redis.call('SADD', key('acct-founded', fold(ARGV[3])), ARGV[2])
return ARGV[3]
`;

// ARGV: prefix, folded channel.
const releaseScript = `${prelude}
local founder = redis.call('GET', key('founder', ARGV[2]))
if not founder then return 0 end
redis.call('DEL', key('founder', ARGV[2]))
redis.call('SREM', key('acct-founded', fold(founder)), ARGV[2])
return 1
`;

// KEYS: markers hash. ARGV: folded target, time as YYYY-MM-DDTHH:MM:SS.sssZ. The marker after the call.
// Date and time are compared as numbers: string order in Lua follows the server's locale.
const markerScript = `
local function later(a, b)
  local da, db = tonumber((string.gsub(string.sub(a, 1, 10), '-', ''))), tonumber((string.gsub(string.sub(b, 1, 10), '-', '')))
  if da ~= db then return da > db end
  return tonumber((string.gsub(string.sub(a, 12, 23), '[:.]', ''))) > tonumber((string.gsub(string.sub(b, 12, 23), '[:.]', '')))
end
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and not later(ARGV[2], current) then return current end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
`;

interface AccountScripts {
  netlabAccountCreate(...args: string[]): Promise<number>;
  netlabAccountUpdate(...args: string[]): Promise<number>;
  netlabAccountDrop(prefix: string, account: string): Promise<number>;
  netlabChannelClaim(prefix: string, channel: string, account: string): Promise<string>;
  netlabChannelRelease(prefix: string, channel: string): Promise<number>;
  netlabReadMarker(markers: string, target: string, timestamp: string): Promise<string>;
}

/** A presence as stored in the presences hash: with the account name as it was given. */
interface StoredPresence extends Presence {
  readonly account: string;
}

/**
 * Accounts on Redis, shared by every node of a cluster:
 * - `<prefix>:acct:<account>`: hash name, password, scram (JSON), email, registeredAt, alwaysOn, certfps (JSON list);
 * - `<prefix>:acct-cert:<fingerprint>`: the folded account it logs in as;
 * - `<prefix>:founder:<channel>`: the founder's account; `<prefix>:acct-founded:<account>`: set of channels it founded;
 * - `<prefix>:markers:<account>`: hash target -> read marker time;
 * - `<prefix>:presences`: hash account -> presence JSON.
 * Accounts, channels and targets are keyed by their folded form; changes that touch several keys run as one script.
 */
export class RedisAccounts implements AccountStore {
  private readonly redis: Redis & AccountScripts;
  private readonly prefix: string;
  private readonly url: string;

  constructor(options: RedisAccountsOptions) {
    this.url = redact(options.url);
    checkUrl(options.url, this.url);
    this.prefix = options.prefix ?? "netlab";
    // Fail commands at once while Redis is away instead of holding them for a reconnect.
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 0, commandTimeout: options.timeoutMs ?? 2_000, lazyConnect: false }) as Redis & AccountScripts;
    // Failures reach callers as rejected calls; the event only needs a listener.
    this.redis.on("error", () => {});
    this.redis.defineCommand("netlabAccountCreate", { lua: createScript, numberOfKeys: 0 });
    this.redis.defineCommand("netlabAccountUpdate", { lua: updateScript, numberOfKeys: 0 });
    this.redis.defineCommand("netlabAccountDrop", { lua: dropScript, numberOfKeys: 0 });
    this.redis.defineCommand("netlabChannelClaim", { lua: claimScript, numberOfKeys: 0 });
    this.redis.defineCommand("netlabChannelRelease", { lua: releaseScript, numberOfKeys: 0 });
    this.redis.defineCommand("netlabReadMarker", { lua: markerScript, numberOfKeys: 1 });
  }

  create(record: AccountRecord): Promise<boolean> {
    return this.run("creating an account", async () => {
      const fields = ["name", record.name, "password", record.password, "scram", scramJson(record.scram), "registeredAt", String(record.registeredAt)];
      if (record.email !== undefined) fields.push("email", record.email);
      if (record.alwaysOn !== undefined) fields.push("alwaysOn", record.alwaysOn ? "1" : "0");
      const created = await this.redis.netlabAccountCreate(this.prefix, foldCase(record.name), JSON.stringify(unique(record.certfps)), ...fields);
      return created === 1;
    });
  }

  get(name: string): Promise<AccountRecord | undefined> {
    return this.run("reading an account", async () => {
      const hash = await this.redis.hgetall(this.key("acct", foldCase(name)));
      if (hash.name === undefined) return undefined;
      const what = `account ${hash.name}`;
      return {
        name: hash.name,
        password: hash.password ?? "",
        scram: parseScram(hash.scram ?? "", what),
        email: hash.email,
        registeredAt: Number(hash.registeredAt ?? 0),
        certfps: stringList(hash.certfps ?? "[]", "redis", `${what} certfps`),
        alwaysOn: hash.alwaysOn === undefined ? undefined : hash.alwaysOn === "1",
      };
    });
  }

  byCertfp(fingerprint: string): Promise<string | undefined> {
    return this.run("looking up a certificate", async () => {
      const account = await this.redis.get(this.key("acct-cert", fingerprint));
      if (account === null) return undefined;
      // The name as registered; none when the account went away between the two reads.
      return (await this.redis.hget(this.key("acct", account), "name")) ?? undefined;
    });
  }

  update(name: string, patch: AccountPatch): Promise<boolean> {
    return this.run("updating an account", async () => {
      const fields: string[] = [];
      const remove: string[] = [];
      if (patch.password !== undefined) fields.push("password", patch.password);
      if (patch.scram !== undefined) fields.push("scram", scramJson(patch.scram));
      // A patch that names email or alwaysOn with undefined clears it.
      if (patch.email !== undefined) fields.push("email", patch.email);
      else if (Object.hasOwn(patch, "email")) remove.push("email");
      if (patch.alwaysOn !== undefined) fields.push("alwaysOn", patch.alwaysOn ? "1" : "0");
      else if (Object.hasOwn(patch, "alwaysOn")) remove.push("alwaysOn");
      const certfps = patch.certfps ? JSON.stringify(unique(patch.certfps)) : "";
      const found = await this.redis.netlabAccountUpdate(this.prefix, foldCase(name), certfps, JSON.stringify(remove), ...fields);
      return found === 1;
    });
  }

  drop(name: string): Promise<boolean> {
    return this.run("dropping an account", async () => (await this.redis.netlabAccountDrop(this.prefix, foldCase(name))) === 1);
  }

  claimChannel(channel: string, account: string): Promise<string> {
    return this.run("claiming a channel", () => this.redis.netlabChannelClaim(this.prefix, foldCase(channel), account));
  }

  founder(channel: string): Promise<string | undefined> {
    return this.run("reading a founder", async () => (await this.redis.get(this.key("founder", foldCase(channel)))) ?? undefined);
  }

  releaseChannel(channel: string): Promise<void> {
    return this.run("releasing a channel", async () => void (await this.redis.netlabChannelRelease(this.prefix, foldCase(channel))));
  }

  setReadMarker(account: string, target: string, timestamp: string): Promise<string> {
    return this.run("setting a read marker", () =>
      this.redis.netlabReadMarker(this.key("markers", foldCase(account)), foldCase(target), markerTime(timestamp, "redis")),
    );
  }

  readMarker(account: string, target: string): Promise<string | undefined> {
    return this.run("reading a read marker", async () => (await this.redis.hget(this.key("markers", foldCase(account)), foldCase(target))) ?? undefined);
  }

  savePresence(account: string, presence: Presence): Promise<void> {
    const stored: StoredPresence = { account, nick: presence.nick, channels: presence.channels, seen: presence.seen };
    return this.run("saving a presence", async () => void (await this.redis.hset(this.presencesKey(), foldCase(account), JSON.stringify(stored))));
  }

  presence(account: string): Promise<Presence | undefined> {
    return this.run("reading a presence", async () => {
      const json = await this.redis.hget(this.presencesKey(), foldCase(account));
      if (json === null) return undefined;
      const { nick, channels, seen } = parsePresence(json);
      return { nick, channels, seen };
    });
  }

  presences(): Promise<Map<string, Presence>> {
    return this.run("listing presences", async () => {
      const all = await this.redis.hgetall(this.presencesKey());
      const found = new Map<string, Presence>();
      for (const json of Object.values(all)) {
        const { account, nick, channels, seen } = parsePresence(json);
        found.set(account, { nick, channels, seen });
      }
      return found;
    });
  }

  dropPresence(account: string): Promise<void> {
    return this.run("dropping a presence", async () => void (await this.redis.hdel(this.presencesKey(), foldCase(account))));
  }

  async close(): Promise<void> {
    if (this.redis.status === "ready") {
      // QUIT lets the replies already on their way arrive; a dead link is just dropped.
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  /** Runs Redis calls; a failure rejects with an AccountStoreError naming what was being done. */
  private async run<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof AccountStoreError) throw error;
      throw new AccountStoreError("EREDIS", "redis", this.url, `accounts: Redis ${this.url} failed while ${what}: ${oneLine(error)}`, { cause: error });
    }
  }

  private key(kind: string, name: string): string {
    return `${this.prefix}:${kind}:${name}`;
  }

  private presencesKey(): string {
    return `${this.prefix}:presences`;
  }
}

/** A URL with any password replaced, for messages and logs. */
function redact(url: string): string {
  return url.replace(/\/\/([^/@]*?):[^/@]*@/, "//$1:***@");
}

/** ioredis takes almost any string (an "http://" URL becomes a socket path), so the URL is checked first. */
function checkUrl(url: string, shown: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new AccountStoreError("EURL", "redis", shown, `accounts: not a Redis URL: ${shown}`, { cause: error });
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new AccountStoreError("EURL", "redis", shown, `accounts: not a redis:// or rediss:// URL: ${shown}`);
  }
  if (!/^\/?\d*$/.test(parsed.pathname)) {
    throw new AccountStoreError("EURL", "redis", shown, `accounts: the path of a Redis URL is a database number: ${shown}`);
  }
}

/** Each fingerprint once, first place kept (SQLite's primary key does the same). */
function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The four SCRAM fields only, whatever else the object carries. */
function scramJson({ salt, iterations, storedKey, serverKey }: ScramCredentials): string {
  return JSON.stringify({ salt, iterations, storedKey, serverKey });
}

function parseJson(json: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AccountStoreError("ECORRUPT", "redis", json, `${what}: not JSON: ${oneLine(error)}`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new AccountStoreError("ECORRUPT", "redis", json, `${what}: not a JSON object`);
  return value as Record<string, unknown>;
}

function parseScram(json: string, what: string): ScramCredentials {
  const { salt, iterations, storedKey, serverKey } = parseJson(json, `${what} scram`);
  if (typeof salt !== "string" || typeof iterations !== "number" || typeof storedKey !== "string" || typeof serverKey !== "string") {
    throw new AccountStoreError("ECORRUPT", "redis", json, `${what} scram: missing fields`);
  }
  return { salt, iterations, storedKey, serverKey };
}

function parsePresence(json: string): StoredPresence {
  const { account, nick, channels, seen } = parseJson(json, "presence");
  if (typeof account !== "string" || typeof nick !== "string" || !isStringList(channels) || typeof seen !== "number") {
    throw new AccountStoreError("ECORRUPT", "redis", json, "presence: missing fields");
  }
  return { account, nick, channels, seen };
}
