import { readFileSync } from "node:fs";
import { cliParser, once, packageVersion, reportError } from "@netlab/cli";
import { hideBin } from "yargs/helpers";
import { Accounts, defaultAccountsOptions } from "./accounts/accounts.js";
import { parseScryptCost } from "./accounts/passwords.js";
import { RedisAccounts } from "./accounts/redis-accounts.js";
import { SqliteAccounts } from "./accounts/sqlite-accounts.js";
import type { AccountStore } from "./accounts/store.js";

const name = "chat-server-account";
const text = (flag: string) => once(flag, (value) => value);

/** The first line of stdin: a password never goes on a command line, where `ps` would show it. */
function readPassword(): string {
  return readFileSync(0, "utf8").split(/\r?\n/)[0] ?? "";
}

const argv = await cliParser(hideBin(process.argv), { name, version: packageVersion(import.meta.url), usage: "$0 <command> NAME [options]\n\nManages chat-server accounts in its store (the server may be running)." })
  .options({
    "data-dir": { type: "string", default: "./data", coerce: text("data-dir"), describe: "the server's --data-dir (SQLite accounts in chat-accounts.db)" },
    redis: { type: "string", coerce: text("redis"), describe: "the cluster's Redis instead (redis://host:port)" },
    "scrypt-cost": { type: "string", default: "ln=15,r=8,p=1", coerce: text("scrypt-cost"), describe: "scrypt cost of the new password hash" },
  })
  .command("add <name>", "register account NAME; its password is the first line of stdin")
  .command("drop <name>", "delete account NAME with its read markers, presence and channels")
  .demandCommand(1, "give a command: add or drop")
  .check((args) => {
    parseScryptCost(String(args.scryptCost));
    return true;
  })
  .example("printf '%s\\n' \"$PASSWORD\" | $0 add alice --data-dir /var/lib/chat", "register alice")
  .parseAsync();

let store: AccountStore | undefined;
try {
  store = argv.redis ? new RedisAccounts({ url: argv.redis }) : new SqliteAccounts({ dataDir: argv.dataDir });
  const accounts = new Accounts({ ...defaultAccountsOptions, store, cost: parseScryptCost(argv.scryptCost), registrationsPerAddress: { max: 0, windowMs: 1 } });
  const account = String(argv.name);
  if (argv._[0] === "add") {
    const result = await accounts.register(account, readPassword(), undefined, "local");
    const why = { exists: "it exists", "bad-name": "not a valid nick", "bad-password": "the password must be 1 to 600 bytes, without NUL", throttled: "throttled" };
    if (result !== "ok") throw new Error(`cannot register ${account}: ${why[result]}`);
    process.stdout.write(`registered ${account}\n`);
  } else {
    if (!(await store.drop(account))) throw new Error(`no account ${account}`);
    process.stdout.write(`dropped ${account}\n`);
  }
} catch (error) {
  process.exitCode = reportError(name, error);
} finally {
  await store?.close();
}
