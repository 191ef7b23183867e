import { Redis, type ChainableCommander } from "ioredis";
import { HistoryStoreError, sourceNick, storageOf, type HistoryEntry, type HistoryPosition, type HistoryRange, type HistoryStore, type HistoryTarget } from "./history.js";

export interface RedisHistoryOptions {
  /** A connected ioredis client (left open by close()), or... */
  redis?: Redis;
  /** ...a redis:// URL to open a connection of our own. */
  url?: string;
  /** First part of every key ("netlab"). */
  prefix?: string;
  /** Messages kept per conversation, approximately (MAXLEN ~); 0 keeps all. */
  maxLines?: number;
  /** Age after which messages are trimmed (MINID ~) and idle conversations expire, in ms; 0 keeps them. */
  maxAgeMs?: number;
  /** How long a commit or a read may wait for Redis before it fails, in ms. */
  timeoutMs?: number;
}


// Appends one message. The stream id is the message's server time; when another node already
// wrote a later id (its clock is ahead), the message goes right after the newest entry instead,
// so every node sees one order. Also keeps the msgid index and, for private messages, each
// side's list of conversations.
// KEYS: stream, msgid index[, targets of side 1, names of side 1, targets of side 2, names of side 2]
// ARGV: ms, maxLines, maxAgeMs, msgid, time, source, command, target, text[, conversation, name for side 1, name for side 2]
const appendScript = `
local stream, index = KEYS[1], KEYS[2]
local maxLines, maxAge = tonumber(ARGV[2]), tonumber(ARGV[3])
local function xadd(id)
  local args = {stream}
  if maxLines > 0 then args[#args + 1] = 'MAXLEN'; args[#args + 1] = '~'; args[#args + 1] = ARGV[2] end
  args[#args + 1] = id
  local names = {'msgid', 'time', 'source', 'command', 'target', 'text'}
  for i, name in ipairs(names) do args[#args + 1] = name; args[#args + 1] = ARGV[3 + i] end
  return redis.pcall('XADD', unpack(args))
end
local id = xadd(ARGV[1] .. '-*')
if type(id) == 'table' then
  local top = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
  id = xadd(top and (string.match(top[1], '^%d+') .. '-*') or '*')
  if type(id) == 'table' then return id end
end
local ms = tonumber(string.match(id, '^%d+'))
redis.call('ZADD', index, string.format('%d', ms), ARGV[4])
if maxAge > 0 then
  local oldest = string.format('%d', math.max(0, ms - maxAge))
  redis.call('XTRIM', stream, 'MINID', '~', oldest)
  redis.call('PEXPIRE', stream, maxAge)
  redis.call('PEXPIRE', index, maxAge)
end
local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
if first then redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.match(first[1], '^%d+')) end
if #KEYS == 6 then
  for side = 0, 1 do
    local targets, names = KEYS[3 + side * 2], KEYS[4 + side * 2]
    redis.call('ZADD', targets, string.format('%d', ms), ARGV[10])
    redis.call('HSET', names, ARGV[10], ARGV[11 + side])
    if maxAge > 0 then
      redis.call('ZREMRANGEBYSCORE', targets, '-inf', '(' .. string.format('%d', ms - maxAge))
      redis.call('PEXPIRE', targets, maxAge)
      redis.call('PEXPIRE', names, maxAge)
    end
  end
end
return id
`;

// The stream id of a msgid: the index gives its millisecond, the stream's entries in that millisecond the rest.
// KEYS: stream, msgid index. ARGV: msgid.
const findScript = `
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score then return false end
local ms = string.format('%d', tonumber(score))
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], ms, ms)) do
  if entry[2][2] == ARGV[1] then return entry[1] end
end
return false
`;

type Args = (string | number)[];
interface HistoryCommands {
  netlabHistoryAppend(numberOfKeys: number, ...args: Args): ChainableCommander;
}
interface HistoryClient {
  netlabHistoryFind(stream: string, index: string, msgid: string): Promise<string | null>;
}

type StreamEntry = [id: string, fields: string[]];

/**
 * History on Redis Streams, shared by every node of a cluster:
 * - `<prefix>:history:<conversation>`: a stream per conversation (a channel's folded name, or
 *   the two folded nicks of a private one), entry id = server time in ms and a sequence;
 * - `<prefix>:history-ids:<conversation>`: sorted set msgid -> ms, to find a msgid's entry;
 * - `<prefix>:history-targets:<nick>` (sorted set conversation -> latest ms) and
 *   `<prefix>:history-names:<nick>` (hash conversation -> the other nick): private conversations for TARGETS.
 * append() buffers; commit() sends the buffer as one pipeline and resolves once Redis has acknowledged every entry.
 */
export class RedisHistory implements HistoryStore {
  readonly enabled = true;
  readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly maxLines: number;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;
  private pending: HistoryEntry[] = [];
  private wasReady: boolean;

  constructor(options: RedisHistoryOptions) {
    if (options.redis) {
      this.redis = options.redis;
      this.owned = false;
    } else if (options.url) {
      // Fail commands at once while Redis is away instead of holding them for a reconnect.
      this.redis = new Redis(options.url, { maxRetriesPerRequest: 0, lazyConnect: false });
      this.owned = true;
      // Failures reach callers as rejected commits and reads; the event only needs a listener.
      this.redis.on("error", () => {});
    } else {
      throw new HistoryStoreError("EOPTIONS", "redis", "", "createRedisHistory needs a redis client or a url");
    }
    this.prefix = options.prefix ?? "netlab";
    this.maxLines = options.maxLines ?? 100_000;
    this.maxAgeMs = options.maxAgeMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.wasReady = this.redis.status === "ready";
    this.redis.on("ready", () => (this.wasReady = true));
    this.redis.defineCommand("netlabHistoryAppend", { lua: appendScript });
    this.redis.defineCommand("netlabHistoryFind", { lua: findScript, numberOfKeys: 2, readOnly: true });
  }

  append(entry: HistoryEntry): void {
    this.pending.push(entry);
  }

  commit(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const entries = this.pending;
    this.pending = [];
    return this.bounded(async () => {
      const pipeline = this.redis.pipeline() as ChainableCommander & HistoryCommands;
      for (const entry of entries) this.appendTo(pipeline, entry);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    }, `writing ${entries.length} messages`);
  }

  private appendTo(pipeline: HistoryCommands, entry: HistoryEntry): void {
    const { key, parties } = storageOf(entry);
    const keys = [this.stream(key), this.index(key)];
    const args: Args = [Date.parse(entry.time), this.maxLines, this.maxAgeMs, entry.msgid, entry.time, entry.source, entry.command, entry.target, entry.text];
    if (parties) {
      const [a, b] = parties;
      keys.push(this.key("history-targets", a), this.key("history-names", a), this.key("history-targets", b), this.key("history-names", b));
      args.push(key, entry.target, sourceNick(entry.source));
    }
    pipeline.netlabHistoryAppend(keys.length, ...keys, ...args);
  }

  remove(key: string, msgid: string): Promise<void> {
    return this.bounded(async () => {
      const id = await (this.redis as Redis & HistoryClient).netlabHistoryFind(this.stream(key), this.index(key), msgid);
      if (id) await this.redis.multi().xdel(this.stream(key), id).zrem(this.index(key), msgid).exec();
    }, "removing a message");
  }

  find(key: string, msgid: string): Promise<HistoryPosition | undefined> {
    return this.bounded(async () => {
      const id = await (this.redis as Redis & HistoryClient).netlabHistoryFind(this.stream(key), this.index(key), msgid);
      return id ? positionOf(id) : undefined;
    }, "finding a msgid");
  }

  range(key: string, range: HistoryRange): Promise<HistoryEntry[]> {
    const low = range.after ? lowerBound(range.after) : "-";
    const high = range.before ? upperBound(range.before) : "+";
    if (low === undefined || high === undefined) return Promise.resolve([]);
    return this.bounded(async () => {
      const stream = this.stream(key);
      if (range.from === "start") return (await this.redis.xrange(stream, low, high, "COUNT", range.limit)).map(toEntry);
      const newest = await this.redis.xrevrange(stream, high, low, "COUNT", range.limit);
      return newest.reverse().map(toEntry);
    }, "reading history");
  }

  targets(party: string, channelKeys: string[], after: number, before: number, limit: number): Promise<HistoryTarget[]> {
    return this.bounded(async () => {
      // Private conversations whose latest message is not older than the window.
      const privateKeys = await this.redis.zrangebyscore(this.key("history-targets", party), after, "+inf");
      const names = privateKeys.length ? await this.redis.hmget(this.key("history-names", party), ...privateKeys) : [];
      const candidates = [...channelKeys.map((key) => ({ key, name: "" })), ...privateKeys.map((key, i) => ({ key, name: names[i] ?? "" }))];
      if (candidates.length === 0) return [];
      const pipeline = this.redis.pipeline();
      // A conversation is listed by its latest message: one that went on after the window is not in it.
      for (const { key } of candidates) pipeline.xrevrange(this.stream(key), "+", "-", "COUNT", 1);
      const latest = (await pipeline.exec()) ?? [];
      const found: HistoryTarget[] = [];
      candidates.forEach(({ key, name }, i) => {
        const [error, entries] = latest[i] ?? [];
        if (error) throw error;
        const id = (entries as StreamEntry[] | undefined)?.[0]?.[0];
        const time = id ? positionOf(id).time : undefined;
        if (time !== undefined && time > after && time < before) found.push({ key, name, time });
      });
      found.sort((a, b) => a.time - b.time);
      return found.slice(0, limit);
    }, "listing targets");
  }

  close(): void {
    if (this.owned) this.redis.disconnect();
  }

  /** Runs a Redis call that fails fast while Redis is away and fails after timeoutMs if it hangs. */
  private async bounded<T>(run: () => Promise<T>, what: string): Promise<T> {
    const { status } = this.redis;
    // Before the first connection commands wait in ioredis's queue; once lost, they fail at once.
    if (status !== "ready" && (this.wasReady || status === "reconnecting" || status === "close" || status === "end")) {
      throw new HistoryStoreError("EUNAVAILABLE", "redis", "", `history: Redis is unavailable (${status}) while ${what}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HistoryStoreError("ETIMEDOUT", "redis", "", `history: Redis did not answer within ${this.timeoutMs} ms while ${what}`)), this.timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof HistoryStoreError) throw error;
      throw new HistoryStoreError("EREDIS", "redis", "", `history: Redis failed while ${what}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private key(kind: string, name: string): string {
    return `${this.prefix}:${kind}:${name}`;
  }

  private stream(key: string): string {
    return this.key("history", key);
  }

  private index(key: string): string {
    return this.key("history-ids", key);
  }
}

/** A stream id "ms-seq" as a position. */
function positionOf(id: string): HistoryPosition {
  const dash = id.indexOf("-");
  return { time: Number(id.slice(0, dash)), seq: Number(id.slice(dash + 1)) };
}

/** The XRANGE start just after position (exclusive); undefined when nothing can follow. */
function lowerBound({ time, seq }: HistoryPosition): string | undefined {
  if (time < 0) return "-";
  // AROUND asks for "after seq - 1" to include the message itself; seq 0 has no predecessor in its ms.
  if (seq < 0) return `${time}-0`;
  return `(${time}-${Math.min(seq, Number.MAX_SAFE_INTEGER)}`;
}

/** The XRANGE end just before position (exclusive); undefined when nothing can precede. */
function upperBound({ time, seq }: HistoryPosition): string | undefined {
  if (time < 0 || (time === 0 && seq <= 0)) return undefined;
  return `(${time}-${Math.max(seq, 0)}`;
}

function toEntry([, fields]: StreamEntry): HistoryEntry {
  const value: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i] as string] = fields[i + 1] as string;
  return {
    msgid: value.msgid ?? "",
    time: value.time ?? "",
    source: value.source ?? "",
    command: value.command === "NOTICE" ? "NOTICE" : "PRIVMSG",
    target: value.target ?? "",
    text: value.text ?? "",
  };
}

/** History on Redis Streams through a given ioredis client or a URL. */
export function createRedisHistory(options: RedisHistoryOptions): RedisHistory {
  return new RedisHistory(options);
}
