import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { cliParser, parseDuration, daemonConfig, daemonOptions, envPrefix, runDaemon, type DaemonArgs } from "@netlab/daemon";
import { hideBin } from "yargs/helpers";
import { parseAttemptLimit, type AttemptLimit } from "./accounts/attempt-limiter.js";
import { parseScryptCost } from "./accounts/passwords.js";
import { RedisAccounts } from "./accounts/redis-accounts.js";
import { SqliteAccounts } from "./accounts/sqlite-accounts.js";
import type { AccountStore } from "./accounts/store.js";
import { redisCluster } from "./cluster/redis-cluster.js";
import { attachConsole } from "./console.js";
import type { HistoryStore } from "./history.js";
import { createRedisHistory } from "./redis-history.js";
import { openSqliteHistory } from "./sqlite-history.js";
import { defaultLimits, type WebSocketOptions } from "./options.js";
import { createChatServer, type ChatServer } from "./server.js";

const name = "chat-server";
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/** A duration that also takes days (30d), for retention. */
function parseAge(input: string): number {
  const days = /^\s*(\d+(?:\.\d+)?)\s*d\s*$/.exec(input);
  return days?.[1] !== undefined ? Math.round(Number(days[1]) * 86_400_000) : parseDuration(input);
}

const argv = await cliParser(hideBin(process.argv), { name, version: pkg.version, usage: "$0 [options]\n\nIRC-compatible chat daemon." })
  .options(daemonOptions({ port: 6667, maxPerAddress: defaultLimits.maxPerAddress }))
  .options({
    "server-name": { type: "string", describe: "name the server gives itself (default: the host name)" },
    password: { type: "string", describe: "server password that clients must send with PASS" },
    oper: { type: "string", array: true, default: [] as string[], describe: "operator NAME:PASSWORD for OPER (repeatable)" },
    "motd-file": { type: "string", describe: "file with the message of the day" },
    "services-name": { type: "string", describe: "name of the server NickServ and ChanServ appear on (default: services.<server-name>)" },
    "server-description": { type: "string", default: "netlab chat server", describe: "one line about this server, shown by LINKS and ADMIN" },
    "admin-location": { type: "string", describe: "where the server is, for ADMIN" },
    "admin-email": { type: "string", describe: "the administrator's contact address, for ADMIN" },
    console: { type: "boolean", default: false, describe: "make this terminal a participant in #lobby" },
    "tls-cert": { type: "string", describe: "PEM certificate file: also listen with TLS" },
    "tls-key": { type: "string", describe: "PEM private key file for --tls-cert" },
    "tls-port": { type: "number", default: 6697, describe: "TLS port" },
    "websocket-port": { type: "number", describe: "also serve IRC over WebSocket and the web client on this port (wss: and https: with --tls-cert)" },
    "websocket-origin": { type: "string", array: true, default: [] as string[], describe: "page origin allowed to connect over WebSocket, e.g. https://chat.example.org (repeatable; none: any)" },
    "websocket-proxy": { type: "string", array: true, default: [] as string[], describe: "address of a reverse proxy whose X-Forwarded-For names the client (repeatable)" },
    "web-client": { type: "boolean", default: true, describe: "serve the web client on the WebSocket port (--no-web-client: WebSocket only)" },
    "registration-timeout": { type: "string", default: "30s", coerce: parseDuration, describe: "time to finish NICK/USER" },
    "flood-burst": { type: "number", default: defaultLimits.floodBurst, describe: "commands a client may send at once" },
    "flood-rate": { type: "number", default: defaultLimits.floodRate, describe: "commands per second after the burst (0: no flood control)" },
    "send-queue": { type: "number", default: defaultLimits.sendQueueBytes, describe: "bytes queued for a client that does not read before it is cut" },
    "max-channels": { type: "number", default: defaultLimits.maxChannelsPerClient, describe: "channels one client may join" },
    history: { choices: ["sqlite", "redis", "none"] as const, describe: "where channel and private messages are kept for CHATHISTORY (default: redis with --redis, else sqlite)" },
    "data-dir": { type: "string", default: "./data", describe: "directory of the history database (chat-history.db)" },
    "history-max-messages": { type: "number", default: 100_000, describe: "messages kept per channel or private conversation (0: all)" },
    "history-max-age": { type: "string", default: "0", coerce: parseAge, describe: "delete messages older than this, e.g. 30d, 12h (0: never)" },
    "autoreplay-lines": { type: "number", default: 10, describe: "history lines sent on JOIN to clients without draft/chathistory (0: none)" },
    "utf8-only": { type: "boolean", default: true, describe: "refuse lines that are not UTF-8 (--no-utf8-only: repair them and pass them on)" },
    accounts: { choices: ["sqlite", "redis", "none"] as const, describe: "where accounts, read markers and always-on users are kept (default: redis with --redis, else sqlite in --data-dir)" },
    "scrypt-cost": { type: "string", default: "ln=15,r=8,p=1", describe: "scrypt cost of new password hashes: ln=log2(N),r=block size,p=parallelism" },
    "always-on": { type: "boolean", default: false, describe: "accounts that did not choose stay on their channels with no device connected (NickServ SET ALWAYS-ON)" },
    "login-limit": { type: "string", default: "5/1m", describe: "failed logins one account may have per window, e.g. 5/1m" },
    "login-limit-per-address": { type: "string", default: "20/1m", describe: "failed logins one client address may have per window" },
    "register-limit": { type: "string", default: "10/10m", describe: "accounts one client address may register per window" },
    "register-email-required": { type: "boolean", default: false, describe: "REGISTER needs an email address (kept, never sent to)" },
    "register-before-connect": { type: "boolean", default: true, describe: "REGISTER works before the connection is registered" },
    "nick-grace": { type: "string", default: "30s", coerce: parseDuration, describe: "time a user taking a registered nick has to log in before it is renamed (0: nicks are not enforced)" },
    redis: { type: "string", describe: "cluster mode: join the network of chat-servers sharing this Redis (redis://host:port)" },
    "node-id": { type: "string", describe: "this node's id in the cluster (default: hostname-pid-random)" },
    "cluster-lease-ms": { type: "number", default: 5_000, describe: "a node silent this long is lost: its users quit on the others" },
  })
  .env(envPrefix(name))
  .check((args) => {
    for (const entry of args.oper) if (!/^[^:]+:.+$/.test(entry)) throw new Error(`--oper wants NAME:PASSWORD, got "${entry}"`);
    if (Boolean(args.tlsCert) !== Boolean(args.tlsKey)) throw new Error("--tls-cert and --tls-key go together");
    if (args.history === "redis" && !args.redis) throw new Error("--history redis needs --redis URL");
    if (args.accounts === "redis" && !args.redis) throw new Error("--accounts redis needs --redis URL");
    for (const flag of ["login-limit", "login-limit-per-address", "register-limit"] as const) {
      if (!parseAttemptLimit(String(args[flag]))) throw new Error(`--${flag} wants COUNT/DURATION such as 5/1m, got "${String(args[flag])}"`);
    }
    parseScryptCost(String(args.scryptCost));
    if (args.redis !== undefined && !/^rediss?:\/\/./.test(args.redis)) throw new Error(`--redis wants a redis://host:port URL, got "${args.redis}"`);
    const wsPort = args.websocketPort as number | undefined;
    if (wsPort !== undefined && (!Number.isInteger(wsPort) || wsPort < 0 || wsPort > 65535)) throw new Error(`--websocket-port wants a port 0-65535, got "${String(wsPort)}"`);
    for (const origin of args.websocketOrigin as string[]) if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`--websocket-origin wants an origin such as https://chat.example.org, got "${origin}"`);
    for (const proxy of args.websocketProxy as string[]) if (!isIP(proxy)) throw new Error(`--websocket-proxy wants an IP address, got "${proxy}"`);
    if (args.nodeId !== undefined && (!args.nodeId || String(args.nodeId).includes("/"))) throw new Error("--node-id must be non-empty, without /");
    if (!Number.isInteger(args.clusterLeaseMs) || Number(args.clusterLeaseMs) < 300) throw new Error("--cluster-lease-ms wants a whole number >= 300");
    for (const [flag, value] of [["history-max-messages", args.historyMaxMessages], ["autoreplay-lines", args.autoreplayLines]] as const) {
      if (!Number.isInteger(value) || Number(value) < 0) throw new Error(`--${flag} wants a whole number >= 0`);
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
  .parseAsync();

const config = daemonConfig(argv as unknown as DaemonArgs);
const readText = (file: string): string => {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    process.stderr.write(`${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    process.exit(1);
  }
};
const opers = Object.fromEntries(argv.oper.map((entry) => [entry.slice(0, entry.indexOf(":")), entry.slice(entry.indexOf(":") + 1)]));
const motd = argv.motdFile ? readText(argv.motdFile).split(/\r?\n/).filter((line, i, all) => line || i < all.length - 1) : undefined;
const tls = argv.tlsCert && argv.tlsKey ? { cert: readText(argv.tlsCert), key: readText(argv.tlsKey), port: argv.tlsPort } : undefined;

const historyKind = argv.history ?? (argv.redis ? "redis" : "sqlite");
let history: HistoryStore | undefined;
if (historyKind !== "none") {
  try {
    history =
      historyKind === "redis"
        ? createRedisHistory({ url: argv.redis, maxLines: argv.historyMaxMessages, maxAgeMs: argv.historyMaxAge as number })
        : openSqliteHistory({ dataDir: argv.dataDir, maxMessages: argv.historyMaxMessages, maxAgeMs: argv.historyMaxAge as number });
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

const accountsKind = argv.accounts ?? (argv.redis ? "redis" : "sqlite");
let accountStore: AccountStore | undefined;
try {
  if (accountsKind === "redis") accountStore = new RedisAccounts({ url: argv.redis ?? "" });
  else if (accountsKind === "sqlite") accountStore = new SqliteAccounts({ dataDir: argv.dataDir });
} catch (error) {
  process.stderr.write(`${name}: ${(error as Error).message}\n`);
  process.exit(1);
}
const limit = (text: string): AttemptLimit => parseAttemptLimit(text) ?? { max: 0, windowMs: 1 };
const accounts = accountStore && {
  store: accountStore,
  cost: parseScryptCost(argv.scryptCost),
  alwaysOnDefault: argv.alwaysOn,
  loginsPerAccount: limit(argv.loginLimit),
  loginsPerAddress: limit(argv.loginLimitPerAddress),
  registrationsPerAddress: limit(argv.registerLimit),
  emailRequired: argv.registerEmailRequired,
  beforeConnect: argv.registerBeforeConnect,
  nickGraceMs: argv.nickGrace as number,
};

// A node's own SQLite history keeps the other nodes' messages too; Redis history is shared.
const cluster = argv.redis
  ? redisCluster({ url: argv.redis, nodeId: argv.nodeId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`, leaseMs: argv.clusterLeaseMs, storeRemote: historyKind === "sqlite" })
  : undefined;

/** The web client's files, from @netlab/web-chat (undefined when it is not built). */
function webClientDirectory(): string | undefined {
  try {
    const index = fileURLToPath(import.meta.resolve("@netlab/web-chat/dist/index.html"));
    return existsSync(index) ? path.dirname(index) : undefined;
  } catch {
    return undefined;
  }
}

let websocket: WebSocketOptions | undefined;
if (argv.websocketPort !== undefined) {
  const webClient = argv.webClient ? webClientDirectory() : undefined;
  if (argv.webClient && !webClient) process.stderr.write(`${name}: the web client is not built (pnpm build): serving WebSocket only\n`);
  websocket = { port: argv.websocketPort, origins: argv.websocketOrigin, trustedProxies: argv.websocketProxy, webClient };
}

const idleHalf = config.idleTimeoutMs > 0 ? config.idleTimeoutMs / 2 : Number.POSITIVE_INFINITY;
let server: ChatServer | undefined;
await runDaemon({
  name,
  config,
  clusterable: false,
  create: ({ log, metrics }) =>
    (server = createChatServer({
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
      cluster,
      autoreplayLines: argv.autoreplayLines,
      utf8Only: argv.utf8Only,
      limits: {
        maxConnections: config.maxConnections,
        maxPerAddress: config.maxPerAddress,
        registrationTimeoutMs: argv.registrationTimeout as number,
        // Silent for half the idle timeout: PING; no answer in the other half: closed.
        pingIntervalMs: idleHalf,
        pingTimeoutMs: idleHalf,
        floodBurst: argv.floodBurst,
        floodRate: argv.floodRate,
        sendQueueBytes: argv.sendQueue,
        maxChannelsPerClient: argv.maxChannels,
      },
    })),
});
if (argv.console && server) attachConsole(server);
