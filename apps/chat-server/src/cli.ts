import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { cliParser, each, once, packageVersion, parseByteSize, parseCount, parseDuration, parsePort, parsePositiveDuration, runCli, UsageError } from "@netlab/cli";
import { createLogger, daemonConfig, daemonOptions, envPrefix, runDaemon, type DaemonArgs, type Daemon } from "@netlab/daemon";
import { hideBin } from "yargs/helpers";
import { parseAttemptLimit, type AttemptLimit } from "./accounts/attempt-limiter.js";
import { parseScryptCost } from "./accounts/passwords.js";
import type { AccountStore } from "./accounts/store.js";
import { attachConsole } from "./console.js";
import type { HistoryStore } from "./history.js";
import { defaultLimits, type WebSocketOptions } from "./options.js";
import { createChatServer, type ChatServer } from "./server.js";

const name = "chat-server";

/** A whole number from min up, for counts and limits. */
const count =
  (min: number) =>
  (input: string): number =>
    parseCount(input, { min });

/** Commands per second: any number from 0 (0: no flood control). */
function parseRate(input: string): number {
  const rate = /^\s*\d+(?:\.\d+)?\s*$/.test(input) ? Number(input) : Number.NaN;
  if (Number.isFinite(rate)) return rate;
  throw new UsageError(`invalid rate ${JSON.stringify(input)}: use commands per second, e.g. 5 or 0.5 (0: no flood control)`);
}

/** A send queue must hold at least one IRC line, or every client would be cut at its first reply. */
function parseSendQueue(input: string): number {
  const bytes = parseByteSize(input);
  if (bytes >= 512) return bytes;
  throw new UsageError(`invalid size ${JSON.stringify(input)}: use at least 512 bytes (one IRC line), e.g. 256k`);
}

/** Worker processes: each one a node of the cluster, so more than one needs --redis (checked with the other flags). */
function parseWorkers(input: string): number {
  const workers = parseCount(input);
  if (workers >= 1) return workers;
  throw new UsageError(`invalid number ${JSON.stringify(input)}: use a whole number 1 or more`);
}

function parseOper(input: string): string {
  if (/^[^:]+:.+$/.test(input)) return input;
  throw new UsageError(`invalid operator ${JSON.stringify(input)}: use NAME:PASSWORD`);
}

function parseOrigin(input: string): string {
  if (input === "*" || /^https?:\/\/[^/\s]+$/.test(input)) return input;
  throw new UsageError(`invalid origin ${JSON.stringify(input)}: use a page origin such as https://chat.example.org`);
}

function parseProxy(input: string): string {
  if (isIP(input)) return input;
  throw new UsageError(`invalid address ${JSON.stringify(input)}: use the proxy's IP address`);
}

function parseRedisUrl(input: string): string {
  if (/^rediss?:\/\/./.test(input)) return input;
  throw new UsageError(`invalid URL ${JSON.stringify(input)}: use redis://host:port`);
}

function parseNodeId(input: string): string {
  if (!input.includes("/")) return input;
  throw new UsageError(`invalid node id ${JSON.stringify(input)}: it may not contain /`);
}

function parseLimit(input: string): AttemptLimit {
  const limit = parseAttemptLimit(input);
  if (limit) return limit;
  throw new UsageError(`invalid limit ${JSON.stringify(input)}: use COUNT/DURATION, e.g. 5/1m`);
}

function parseCost(input: string): ReturnType<typeof parseScryptCost> {
  try {
    return parseScryptCost(input);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Any text, given once. */
const text = (input: string): string => input;

/** The daemon's common flags (each value checked through once(...) by @netlab/daemon), --workers as cluster nodes (see parseWorkers). */
function serverDaemonOptions() {
  const options = daemonOptions({ port: 6667, maxPerAddress: defaultLimits.maxPerAddress });
  const describe = "processes sharing the ports, each a node of the cluster (needs --redis): more cores, and more than one process's 20k-file limit";
  return { ...options, workers: { ...options.workers, type: "string", describe, coerce: once("workers", parseWorkers) } } as const;
}

/** The web client's files, from @netlab/web-chat (undefined when it is not built). */
function webClientDirectory(): string | undefined {
  try {
    const index = fileURLToPath(import.meta.resolve("@netlab/web-chat/dist/index.html"));
    return existsSync(index) ? path.dirname(index) : undefined;
  } catch {
    return undefined;
  }
}

await runCli(name, async () => {
  const argv = await cliParser(hideBin(process.argv), { name, version: packageVersion(import.meta.url), usage: "$0 [options]\n\nIRC-compatible chat daemon." })
    .options(serverDaemonOptions())
    .options({
      "server-name": { type: "string", coerce: once("server-name", text), describe: "name the server gives itself (default: the host name)" },
      password: { type: "string", coerce: once("password", text), describe: "server password that clients must send with PASS" },
      oper: { type: "string", array: true, default: [] as string[], coerce: each("oper", parseOper), describe: "operator NAME:PASSWORD for OPER (repeatable)" },
      "motd-file": { type: "string", coerce: once("motd-file", text), describe: "file with the message of the day" },
      "services-name": { type: "string", coerce: once("services-name", text), describe: "name of the server NickServ and ChanServ appear on (default: services.<server-name>)" },
      "server-description": { type: "string", default: "netlab chat server", coerce: once("server-description", text), describe: "one line about this server, shown by LINKS and ADMIN" },
      "admin-location": { type: "string", coerce: once("admin-location", text), describe: "where the server is, for ADMIN" },
      "admin-email": { type: "string", coerce: once("admin-email", text), describe: "the administrator's contact address, for ADMIN" },
      console: { type: "boolean", default: false, describe: "make this terminal a participant in #lobby (/help lists its commands)" },
      "tls-cert": { type: "string", coerce: once("tls-cert", text), describe: "PEM certificate file: also listen with TLS" },
      "tls-key": { type: "string", coerce: once("tls-key", text), describe: "PEM private key file for --tls-cert" },
      "tls-port": { type: "string", default: "6697", coerce: once("tls-port", parsePort), describe: "TLS port" },
      "websocket-port": { type: "string", coerce: once("websocket-port", parsePort), describe: "also serve IRC over WebSocket and the web client on this port (wss: and https: with --tls-cert)" },
      "websocket-origin": { type: "string", array: true, default: [] as string[], coerce: each("websocket-origin", parseOrigin), describe: "page origin allowed to connect over WebSocket, e.g. https://chat.example.org (repeatable; none: any)" },
      "websocket-proxy": { type: "string", array: true, default: [] as string[], coerce: each("websocket-proxy", parseProxy), describe: "address of a reverse proxy whose X-Forwarded-For names the client (repeatable)" },
      "web-client": { type: "boolean", default: true, describe: "serve the web client on the WebSocket port (--no-web-client: WebSocket only)" },
      "registration-timeout": { type: "string", default: "30s", coerce: once("registration-timeout", parsePositiveDuration), describe: "time to finish NICK/USER" },
      "flood-burst": { type: "string", default: String(defaultLimits.floodBurst), coerce: once("flood-burst", count(1)), describe: "commands a client may send at once" },
      "flood-rate": { type: "string", default: String(defaultLimits.floodRate), coerce: once("flood-rate", parseRate), describe: "commands per second after the burst (0: no flood control)" },
      "send-queue": { type: "string", default: "256k", coerce: once("send-queue", parseSendQueue), describe: "output queued for a client that does not read before it is cut, e.g. 256k, 1m" },
      "max-channels": { type: "string", default: String(defaultLimits.maxChannelsPerClient), coerce: once("max-channels", count(1)), describe: "channels one client may join" },
      history: { choices: ["sqlite", "redis", "none"] as const, describe: "where channel and private messages are kept for CHATHISTORY (default: redis with --redis, else sqlite)" },
      "data-dir": { type: "string", default: "./data", coerce: once("data-dir", text), describe: "directory of the history database (chat-history.db)" },
      "history-max-messages": { type: "string", default: "100000", coerce: once("history-max-messages", count(0)), describe: "messages kept per channel or private conversation (0: all)" },
      "history-max-age": { type: "string", default: "0", coerce: once("history-max-age", parseDuration), describe: "delete messages older than this, e.g. 30d, 12h (0: never)" },
      "autoreplay-lines": { type: "string", default: "10", coerce: once("autoreplay-lines", count(0)), describe: "history lines sent on JOIN to clients without draft/chathistory (0: none)" },
      "utf8-only": { type: "boolean", default: true, describe: "refuse lines that are not UTF-8 (--no-utf8-only: repair them and pass them on)" },
      accounts: { choices: ["sqlite", "redis", "none"] as const, describe: "where accounts, read markers and always-on users are kept (default: redis with --redis, else sqlite in --data-dir)" },
      "scrypt-cost": { type: "string", default: "ln=15,r=8,p=1", coerce: once("scrypt-cost", parseCost), describe: "scrypt cost of new password hashes: ln=log2(N),r=block size,p=parallelism" },
      "always-on": { type: "boolean", default: false, describe: "accounts that did not choose stay on their channels with no device connected (NickServ SET ALWAYS-ON)" },
      "login-limit": { type: "string", default: "5/1m", coerce: once("login-limit", parseLimit), describe: "failed logins one account may have per window, e.g. 5/1m" },
      "login-limit-per-address": { type: "string", default: "20/1m", coerce: once("login-limit-per-address", parseLimit), describe: "failed logins one client address may have per window" },
      "register-limit": { type: "string", default: "10/10m", coerce: once("register-limit", parseLimit), describe: "accounts one client address may register per window" },
      "register-email-required": { type: "boolean", default: false, describe: "REGISTER needs an email address (kept, never sent to)" },
      "register-before-connect": { type: "boolean", default: true, describe: "REGISTER works before the connection is registered" },
      "nick-grace": { type: "string", default: "30s", coerce: once("nick-grace", parseDuration), describe: "time a user taking a registered nick has to log in before it is renamed (0: nicks are not enforced)" },
      redis: { type: "string", coerce: once("redis", parseRedisUrl), describe: "cluster mode: join the network of chat-servers sharing this Redis (redis://host:port)" },
      "node-id": { type: "string", coerce: once("node-id", parseNodeId), describe: "this node's id in the cluster (default: hostname-pid-random)" },
      "cluster-lease-ms": { type: "string", default: "5000", coerce: once("cluster-lease-ms", count(300)), describe: "a node silent this many milliseconds is lost: its users quit on the others" },
    })
    .env(envPrefix(name))
    .check((args) => {
      if (Boolean(args.tlsCert) !== Boolean(args.tlsKey)) throw new UsageError("--tls-cert and --tls-key go together");
      if (args.history === "redis" && !args.redis) throw new UsageError("--history redis needs --redis URL");
      if (args.accounts === "redis" && !args.redis) throw new UsageError("--accounts redis needs --redis URL");
      if (Number(args.workers) > 1) {
        // Workers are nodes of a cluster: they share state only through Redis.
        if (!args.redis) throw new UsageError("--workers above 1 needs --redis URL: each worker is a node of the cluster");
        if (args.history === "sqlite" || args.accounts === "sqlite") throw new UsageError("--workers above 1 keeps history and accounts in Redis: leave out --history sqlite and --accounts sqlite");
        if (args.console) throw new UsageError("--console needs one process: leave out --workers");
      }
      return true;
    })
    .example("$0", "plain IRC on 127.0.0.1:6667")
    .example("$0 --host :: --server-name irc.lab.example --oper admin:s3cret", "open to the network, with one operator")
    .example("$0 --tls-cert cert.pem --tls-key key.pem", "also TLS on 6697")
    .example("$0 --console --log-level warn", "take part in #lobby from this terminal, as in the lab")
    .example("$0 --data-dir /var/lib/chat --history-max-age 30d", "keep 30 days of history in /var/lib/chat/chat-history.db")
    .example("$0 --history none", "keep no history")
    .example("$0 --websocket-port 8097", "also chat in the browser: open http://127.0.0.1:8097/")
    .example("$0 --always-on --scrypt-cost ln=16,r=8,p=1", "accounts stay on their channels when their devices go; costlier password hashes")
    .example("$0 --redis redis://10.0.0.5:6379 --host ::", "one node of a cluster: run it on each machine with the same Redis")
    .example("$0 --redis redis://127.0.0.1:6379 --workers 2", "a node of two processes on one port: both cores, twice the connections")
    .parseAsync();

  const config = daemonConfig(argv as unknown as DaemonArgs);
  const readText = (file: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const opers = Object.fromEntries(argv.oper.map((entry) => [entry.slice(0, entry.indexOf(":")), entry.slice(entry.indexOf(":") + 1)]));
  const motd = argv.motdFile ? readText(argv.motdFile).split(/\r?\n/).filter((line, i, all) => line || i < all.length - 1) : undefined;
  const tls = argv.tlsCert && argv.tlsKey ? { cert: readText(argv.tlsCert), key: readText(argv.tlsKey), port: argv.tlsPort } : undefined;

  // With --workers, the primary only forks and watches the workers: stores and the cluster link are theirs.
  const primary = config.workers > 1 && cluster.isPrimary;
  // Stores and the cluster are imported only when chosen: ioredis and better-sqlite3 cost megabytes of a node's memory.
  const historyKind = argv.history ?? (argv.redis ? "redis" : "sqlite");
  const accountsKind = argv.accounts ?? (argv.redis ? "redis" : "sqlite");
  let history: HistoryStore | undefined;
  let accountStore: AccountStore | undefined;
  if (!primary) {
    if (historyKind === "redis") history = (await import("./redis-history.js")).createRedisHistory({ url: argv.redis, maxLines: argv.historyMaxMessages, maxAgeMs: argv.historyMaxAge });
    else if (historyKind === "sqlite") history = (await import("./sqlite-history.js")).openSqliteHistory({ dataDir: argv.dataDir, maxMessages: argv.historyMaxMessages, maxAgeMs: argv.historyMaxAge });
    if (accountsKind === "redis") accountStore = new (await import("./accounts/redis-accounts.js")).RedisAccounts({ url: argv.redis ?? "" });
    else if (accountsKind === "sqlite") accountStore = new (await import("./accounts/sqlite-accounts.js")).SqliteAccounts({ dataDir: argv.dataDir });
  }
  const accounts = accountStore && {
    store: accountStore,
    cost: argv.scryptCost,
    alwaysOnDefault: argv.alwaysOn,
    loginsPerAccount: argv.loginLimit,
    loginsPerAddress: argv.loginLimitPerAddress,
    registrationsPerAddress: argv.registerLimit,
    emailRequired: argv.registerEmailRequired,
    beforeConnect: argv.registerBeforeConnect,
    nickGraceMs: argv.nickGrace,
  };

  // A node's own SQLite history keeps the other nodes' messages too; Redis history is shared.
  // Each worker is a node of its own: a given --node-id gets the worker's number.
  const nodeId = argv.nodeId && cluster.isWorker ? `${argv.nodeId}-${cluster.worker?.id ?? 0}` : argv.nodeId;
  const clusterLink = argv.redis && !primary
    ? (await import("./cluster/redis-cluster.js")).redisCluster({ url: argv.redis, nodeId: nodeId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`, leaseMs: argv.clusterLeaseMs, storeRemote: historyKind === "sqlite" })
    : undefined;

  let websocket: WebSocketOptions | undefined;
  if (argv.websocketPort !== undefined) {
    const webClient = argv.webClient ? webClientDirectory() : undefined;
    if (argv.webClient && !webClient) process.stderr.write(`${name}: the web client is not built (pnpm build): serving WebSocket only\n`);
    websocket = { port: argv.websocketPort, origins: argv.websocketOrigin, trustedProxies: argv.websocketProxy, webClient };
  }

  const log = createLogger({ name, level: config.logLevel });

  const idleHalf = config.idleTimeoutMs > 0 ? config.idleTimeoutMs / 2 : Number.POSITIVE_INFINITY;
  let server: ChatServer | undefined;
  await runDaemon({
    name,
    config,
    log,
    clusterable: config.workers > 1,
    create: ({ metrics }): Daemon => {
      const chat = createChatServer({
        serverName: argv.serverName,
        host: config.host,
        port: config.port,
        tls,
        websocket,
        password: argv.password,
        opers,
        motd,
        description: argv.serverDescription,
        servicesName: argv.servicesName,
        admin: { location: argv.adminLocation, email: argv.adminEmail },
        logger: log,
        metrics,
        history,
        accounts,
        cluster: clusterLink,
        autoreplayLines: argv.autoreplayLines,
        utf8Only: argv.utf8Only,
        limits: {
          maxConnections: config.maxConnections,
          maxPerAddress: config.maxPerAddress,
          registrationTimeoutMs: argv.registrationTimeout,
          // Silent for half the idle timeout: PING; no answer in the other half: closed.
          pingIntervalMs: idleHalf,
          pingTimeoutMs: idleHalf,
          floodBurst: argv.floodBurst,
          floodRate: argv.floodRate,
          sendQueueBytes: argv.sendQueue,
          maxChannelsPerClient: argv.maxChannels,
        },
      });
      server = chat;
      return {
        listen: () => chat.listen(),
        close: (options) => chat.close(options),
      };
    },
  });
  if (argv.console && server) attachConsole(server);
  return 0;
});
