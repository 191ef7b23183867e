import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { redisProgram, startRedis } from "@netlab/test-kit";
import { Redis } from "ioredis";
import { afterAll, describe, expect, test } from "vitest";
import { RedisAccounts } from "../src/accounts/redis-accounts.js";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import type { ChatServer, ChatServerOptions } from "../src/index.js";
import { joinAll, useServer } from "./fixture.js";
import { register, startServer, testScryptCost, type RawClient } from "./raw-client.js";
import { plainLogin, saslConnection, scramLogin } from "./sasl-client.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "chat-accounts-test-"));
  dirs.push(dir);
  return dir;
}

/** SQLite accounts in dataDir, cheap scrypt, no address limits unless given. */
function accountsOptions(extra: Partial<NonNullable<ChatServerOptions["accounts"]>> = {}, dataDir = tempDir()): NonNullable<ChatServerOptions["accounts"]> {
  return { store: new SqliteAccounts({ dataDir }), cost: testScryptCost, loginsPerAddress: { max: 0, windowMs: 1 }, registrationsPerAddress: { max: 0, windowMs: 1 }, ...extra };
}

const { state, user, raw, channel } = useServer(async () => ({ accounts: accountsOptions() }));

let serial = 0;
/** An account made through the server's account service, for tests that log into one. */
async function newAccount(server: ChatServer | undefined = state.server, password = `pw-${++serial}-secret`): Promise<{ name: string; password: string }> {
  const name = `acct${++serial}`;
  expect(await server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
  return { name, password };
}

/** What NickServ says to nick, as a pattern for the whole line. */
const fromNickServ = (nick: string, text: string): RegExp => new RegExp(`^:NickServ!NickServ@services\\.irc\\.test NOTICE ${nick} :${text}$`);

/** SASL PLAIN from a fresh connection: "903" or "904". */
async function tryLogin(port: number, name: string, password: string): Promise<string> {
  const client = await saslConnection(port);
  try {
    return await plainLogin(client, name, password);
  } finally {
    client.close();
  }
}

describe("REGISTER (draft/account-registration)", () => {
  test("before connecting: SUCCESS and 900, then the welcome; WHOIS shows the account", async () => {
    const client = await raw();
    client.send("CAP LS 302", "CAP REQ :draft/account-registration", "NICK regpre", "USER regpre 0 * :R");
    await client.expect(/ CAP \S+ ACK /);
    client.send("REGISTER * * hunter2pre");
    await client.expect(/^:irc\.test REGISTER SUCCESS regpre :Account successfully registered$/);
    await client.expect(/^:irc\.test 900 regpre regpre!~regpre@127\.0\.0\.1 regpre :You are now logged in as regpre$/);
    expect(client.lines.some((line) => / 001 /.test(line))).toBe(false);
    client.send("CAP END", "WHOIS regpre");
    await client.expect(/ 001 regpre /);
    await client.expect(/ 330 regpre regpre regpre :is logged in as$/);
    expect(await tryLogin(state.port, "regpre", "hunter2pre")).toBe("903");
  });

  test("after connecting: SUCCESS and 900; account-notify peers see ACCOUNT", async () => {
    const client = await user("regpost");
    const peer = await user("peer", ["account-notify"]);
    await joinAll(channel(), client, peer);
    client.send("REGISTER * * hunter2post");
    await client.expect(new RegExp(`^:irc\\.test REGISTER SUCCESS ${client.nick} :Account successfully registered$`));
    await client.expect(new RegExp(`^:irc\\.test 900 ${client.nick} ${client.nick}!~${client.nick}@127\\.0\\.0\\.1 ${client.nick} :`));
    await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT ${client.nick}$`));
    expect(await tryLogin(state.port, client.nick, "hunter2post")).toBe("903");
  });

  test("the account name may be given as the nick in another case; an email is kept", async () => {
    const client = await user("regcase");
    client.send(`REGISTER ${client.nick.toUpperCase()} someone@example.org pw-case`);
    await client.expect(new RegExp(` REGISTER SUCCESS ${client.nick.toUpperCase()} :`));
    expect(await state.server?.accounts?.store.get(client.nick)).toMatchObject({ name: client.nick.toUpperCase(), email: "someone@example.org" });
  });

  test("another name than the nick: FAIL ACCOUNT_NAME_MUST_BE_NICK, and no account is made", async () => {
    const client = await user("regother");
    client.send("REGISTER somebodyelse * pw-other");
    await client.expect(/^:irc\.test FAIL REGISTER ACCOUNT_NAME_MUST_BE_NICK somebodyelse :The account name must be your nick$/);
    expect(await state.server?.accounts?.store.get("somebodyelse")).toBeUndefined();
    expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
  });

  test("an existing account: FAIL ACCOUNT_EXISTS, and its password stays", async () => {
    const { name, password } = await newAccount();
    const client = await register(state.port, name);
    client.send("REGISTER * * another-password");
    await client.expect(new RegExp(`^:irc\\.test FAIL REGISTER ACCOUNT_EXISTS ${name} :Account already exists$`));
    client.close();
    expect(await tryLogin(state.port, name, "another-password")).toBe("904");
    expect(await tryLogin(state.port, name, password)).toBe("903");
  });

  test("a nick someone else holds cannot be registered from under them: ACCOUNT_EXISTS", async () => {
    const holder = await user("holder");
    const client = await raw();
    client.send("CAP LS 302", `NICK ${holder.nick}`, "USER h 0 * :H");
    await client.expect(new RegExp(` 433 \\* ${holder.nick} `));
    client.send("REGISTER * * stolen-pw");
    await client.expect(new RegExp(`^:irc\\.test FAIL REGISTER ACCOUNT_EXISTS ${holder.nick} :`));
    expect(await state.server?.accounts?.store.get(holder.nick)).toBeUndefined();
  });

  test("REGISTER before any NICK: FAIL NEED_NICK", async () => {
    const client = await raw();
    client.send("CAP LS 302", "REGISTER * * pw-nonick");
    await client.expect(/^:irc\.test FAIL REGISTER NEED_NICK \* :/);
  });

  test("while logged in: FAIL ALREADY_AUTHENTICATED", async () => {
    const client = await user("regtwice");
    client.send("REGISTER * * pw-twice");
    await client.expect(/ REGISTER SUCCESS /);
    client.send("REGISTER * * pw-twice");
    await client.expect(new RegExp(`^:irc\\.test FAIL REGISTER ALREADY_AUTHENTICATED ${client.nick} :`));
  });

  test("a malformed email: FAIL INVALID_EMAIL", async () => {
    const client = await user("regmail");
    client.send("REGISTER * not-an-email pw-mail");
    await client.expect(new RegExp(`^:irc\\.test FAIL REGISTER INVALID_EMAIL ${client.nick} :`));
    expect(await state.server?.accounts?.store.get(client.nick)).toBeUndefined();
  });

  test("VERIFY: there is never a code pending", async () => {
    const client = await user("verify");
    client.send(`VERIFY ${client.nick} 123456`);
    await client.expect(new RegExp(`^:irc\\.test FAIL VERIFY INVALID_CODE ${client.nick} :`));
  });

  test("registrations per address: the third within the window gets FAIL TEMPORARILY_UNAVAILABLE", async () => {
    const started = await startServer({ accounts: accountsOptions({ registrationsPerAddress: { max: 2, windowMs: 60_000 } }) });
    const clients: RawClient[] = [];
    try {
      for (const nick of ["lim1", "lim2"]) {
        const client = await register(started.port, nick);
        clients.push(client);
        client.send("REGISTER * * pw-limit");
        await client.expect(/ REGISTER SUCCESS /);
      }
      const third = await register(started.port, "lim3");
      clients.push(third);
      third.send("REGISTER * * pw-limit");
      await third.expect(/^:irc\.test FAIL REGISTER TEMPORARILY_UNAVAILABLE lim3 :Too many registrations from your address; try again later$/);
      third.send("NS REGISTER pw-limit");
      await third.expect(fromNickServ("lim3", "Too many registrations from your address; try again later"));
      expect(await started.server.accounts?.store.get("lim3")).toBeUndefined();
      expect(third.lines.some((line) => / 900 /.test(line))).toBe(false);
    } finally {
      for (const client of clients) client.close();
      await started.stop();
    }
  });
});

describe("NickServ", () => {
  test("NS REGISTER: Account created and 900; the password logs in", async () => {
    const client = await user("nsreg");
    client.send("NS REGISTER pw-nsreg");
    await client.expect(fromNickServ(client.nick, "Account created"));
    await client.expect(new RegExp(`^:irc\\.test 900 ${client.nick} \\S+ ${client.nick} :You are now logged in as ${client.nick}$`));
    client.send("NS REGISTER pw-nsreg");
    await client.expect(fromNickServ(client.nick, `You are already logged in as ${client.nick}`));
    expect(await tryLogin(state.port, client.nick, "pw-nsreg")).toBe("903");
  });

  test("NS REGISTER of an existing account, and without a password", async () => {
    const { name } = await newAccount();
    const client = await register(state.port, name);
    client.send("NS REGISTER");
    await client.expect(fromNickServ(name, "Syntax: REGISTER <password> \\[email\\]"));
    client.send("NS REGISTER pw-again");
    await client.expect(fromNickServ(name, "That account already exists"));
    client.close();
  });

  test("IDENTIFY with the right password logs in (900), a wrong one does not", async () => {
    const { name, password } = await newAccount();
    const client = await user("ident", ["account-notify"]);
    client.send(`NS IDENTIFY ${name} wrong-${password}`);
    await client.expect(fromNickServ(client.nick, "Invalid account name or password"));
    client.send(`NS IDENTIFY nosuchacct ${password}`);
    await client.expect(fromNickServ(client.nick, "Invalid account name or password"));
    expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
    client.send(`NS IDENTIFY ${name} ${password}`);
    await client.expect(new RegExp(`^:irc\\.test 900 ${client.nick} ${client.nick}!~${client.nick}@127\\.0\\.0\\.1 ${name} :You are now logged in as ${name}$`));
    await client.expect(fromNickServ(client.nick, `You are now logged in as ${name}`));
    client.send(`WHOIS ${client.nick}`);
    await client.expect(new RegExp(` 330 ${client.nick} ${client.nick} ${name} :`));
  });

  test("IDENTIFY with the password alone uses the nick as the account", async () => {
    const { name, password } = await newAccount();
    const client = await register(state.port, name);
    client.send(`NS IDENTIFY ${password}`);
    await client.expect(new RegExp(` 900 ${name} \\S+ ${name} :`));
    client.close();
  });

  test("LOGOUT: 901, and ACCOUNT * to account-notify peers; WHOIS shows no account", async () => {
    const { name, password } = await newAccount();
    const client = await user("logout");
    const peer = await user("peer", ["account-notify"]);
    await joinAll(channel(), client, peer);
    client.send(`NS IDENTIFY ${name} ${password}`);
    await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT ${name}$`));
    client.send("NS LOGOUT");
    await client.expect(new RegExp(`^:irc\\.test 901 ${client.nick} ${client.nick}!~${client.nick}@127\\.0\\.0\\.1 :You are now logged out$`));
    await client.expect(fromNickServ(client.nick, "You are now logged out"));
    await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT \\*$`));
    client.send(`WHOIS ${client.nick}`);
    await client.expect(/ 318 /);
    expect(client.lines.some((line) => / 330 /.test(line))).toBe(false);
    client.send("NS LOGOUT");
    await client.expect(fromNickServ(client.nick, "You are not logged in"));
  });

  test("PASSWD: the old password stops working and the new one works (PLAIN and SCRAM)", async () => {
    const { name, password } = await newAccount();
    const client = await user("passwd");
    client.send(`NS IDENTIFY ${name} ${password}`);
    await client.expect(/ 900 /);
    client.send(`NS PASSWD not-${password} brand-new-pw`);
    await client.expect(fromNickServ(client.nick, "Invalid password"));
    expect(await tryLogin(state.port, name, password)).toBe("903");
    client.send(`NS PASSWD ${password} brand-new-pw`);
    await client.expect(fromNickServ(client.nick, "Password changed"));
    expect(await tryLogin(state.port, name, password)).toBe("904");
    expect(await tryLogin(state.port, name, "brand-new-pw")).toBe("903");
    const scram = await saslConnection(state.port);
    expect(await scramLogin(scram, name, "brand-new-pw")).toMatchObject({ reply: "903", serverVerified: true });
    scram.close();
    client.send("NS PASSWD onlyone");
    await client.expect(fromNickServ(client.nick, "Syntax: PASSWD <current password> <new password>"));
  });

  test("DROP: a wrong password keeps the account; the right one deletes it and logs out", async () => {
    const { name, password } = await newAccount();
    const client = await user("dropper");
    const peer = await user("peer", ["account-notify"]);
    await joinAll(channel(), client, peer);
    client.send(`NS IDENTIFY ${name} ${password}`);
    await client.expect(/ 900 /);
    client.send(`NS DROP not-${password}`);
    await client.expect(fromNickServ(client.nick, "Invalid password"));
    expect(await state.server?.accounts?.store.get(name)).toBeDefined();
    client.send(`NS DROP ${password}`);
    await client.expect(fromNickServ(client.nick, `Account ${name} dropped`));
    await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT \\*$`));
    expect(await state.server?.accounts?.store.get(name)).toBeUndefined();
    client.send(`NS IDENTIFY ${name} ${password}`);
    await client.expect(fromNickServ(client.nick, "Invalid account name or password"));
    expect(await tryLogin(state.port, name, password)).toBe("904");
  });

  test("DROP logs out every connection of the account on this server, not only the one that dropped it", async () => {
    const { name, password } = await newAccount();
    const dropper = await user("dropa");
    const other = await user("dropb");
    const peer = await user("peer", ["account-notify"]);
    await joinAll(channel(), dropper, other, peer);
    for (const client of [dropper, other]) {
      client.send(`NS IDENTIFY ${name} ${password}`);
      await client.expect(/ 900 /);
      await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT ${name}$`));
    }
    dropper.send(`NS DROP ${password}`);
    await dropper.expect(fromNickServ(dropper.nick, `Account ${name} dropped`));
    await peer.expect(new RegExp(`^:${dropper.nick}!\\S+ ACCOUNT \\*$`));
    await peer.expect(new RegExp(`^:${other.nick}!\\S+ ACCOUNT \\*$`));
    peer.send(`WHOIS ${other.nick}`);
    await peer.expect(/ 318 /);
    expect(peer.lines.some((line) => / 330 /.test(line))).toBe(false);
    // Were it still logged in, a new account of that name would be its own.
    const heir = await register(state.port, name);
    heir.send("NS REGISTER pw-heir");
    await heir.expect(/ 900 /);
    other.send("NS INFO");
    await other.expect(fromNickServ(other.nick, "You are not logged in"));
    heir.close();
  });

  test("INFO says the account, when it was registered, always-on and certificates; not logged in, it says so", async () => {
    const client = await user("info");
    client.send("NS INFO");
    await client.expect(fromNickServ(client.nick, "You are not logged in"));
    const before = Date.now();
    client.send("NS REGISTER pw-info");
    await client.expect(/ 900 /);
    client.send("NS INFO");
    const line = await client.expect(new RegExp(`NOTICE ${client.nick} :Account ${client.nick}, registered `));
    const when = Date.parse(/, registered (.*)$/.exec(line)?.[1] ?? "");
    expect(Math.abs(when - before)).toBeLessThan(5_000);
    await client.expect(fromNickServ(client.nick, "Always-on: off; certificates: 0"));
  });

  test("HELP lists the commands; an unknown command says so", async () => {
    const client = await user("helpme");
    client.send("NS HELP");
    await client.expect(fromNickServ(client.nick, "NickServ keeps accounts\\. Commands:"));
    for (const command of ["REGISTER", "IDENTIFY", "LOGOUT", "PASSWD", "SET ALWAYS-ON", "CERT ADD", "INFO", "DROP"]) {
      await client.expect(new RegExp(`NOTICE ${client.nick} :${command}\\b`));
    }
    client.send("NS FROBNICATE now");
    await client.expect(fromNickServ(client.nick, "Unknown command FROBNICATE; try HELP"));
  });

  test("NS REGISTER checks an email as REGISTER does: a malformed one is refused", async () => {
    const client = await user("nsmail");
    client.send("NS REGISTER pw-nsmail not-an-email");
    await client.expect(fromNickServ(client.nick, "That email address is not valid"));
    expect(await state.server?.accounts?.store.get(client.nick)).toBeUndefined();
    client.send("NS REGISTER pw-nsmail me@example.org");
    await client.expect(fromNickServ(client.nick, "Account created"));
    expect(await state.server?.accounts?.store.get(client.nick)).toMatchObject({ email: "me@example.org" });
  });

  test("with emailRequired, neither REGISTER nor NS REGISTER makes an account without an email", async () => {
    const started = await startServer({ accounts: accountsOptions({ emailRequired: true }) });
    const clients: RawClient[] = [];
    try {
      const client = await register(started.port, "needmail", ["draft/account-registration"]);
      clients.push(client);
      client.send("CAP LS 302");
      await client.expect(/ CAP needmail LS :.*draft\/account-registration=before-connect,email-required/);
      client.send("REGISTER * * pw-needmail");
      await client.expect(/^:irc\.test FAIL REGISTER INVALID_EMAIL needmail :/);
      client.send("NS REGISTER pw-needmail");
      await client.expect(fromNickServ("needmail", "An email address is required: REGISTER <password> <email>"));
      expect(await started.server.accounts?.store.get("needmail")).toBeUndefined();
      expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
      client.send("NS REGISTER pw-needmail needmail@example.org");
      await client.expect(fromNickServ("needmail", "Account created"));
      expect(await started.server.accounts?.store.get("needmail")).toMatchObject({ email: "needmail@example.org" });
    } finally {
      for (const client of clients) client.close();
      await started.stop();
    }
  });

  test("a wrong IDENTIFY is not a limit hit; a throttled one is, and says so", async () => {
    const started = await startServer({ accounts: accountsOptions({ loginsPerAccount: { max: 2, windowMs: 60_000 } }) });
    const clients: RawClient[] = [];
    try {
      const { name, password } = await newAccount(started.server);
      const client = await register(started.port, "limits");
      clients.push(client);
      for (let i = 0; i < 2; i++) {
        client.send(`NS IDENTIFY ${name} wrong-${i}`);
        await client.expect(fromNickServ("limits", "Invalid account name or password"));
      }
      expect(started.server.stats.limitHits.get("login") ?? 0).toBe(0);
      client.send(`NS IDENTIFY ${name} ${password}`);
      await client.expect(fromNickServ("limits", "Too many failed logins; try again later"));
      expect(started.server.stats.limitHits.get("login")).toBe(1);
      expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
      // SASL counts the same way: only the throttled refusal.
      const sasl = await saslConnection(started.port);
      clients.push(sasl);
      expect(await plainLogin(sasl, name, password)).toBe("904");
      expect(started.server.stats.limitHits.get("login")).toBe(2);
    } finally {
      for (const client of clients) client.close();
      await started.stop();
    }
  });

  test("SET ALWAYS-ON: ON, OFF and DEFAULT are kept in the account and shown by INFO", async () => {
    const client = await user("always");
    client.send("NS SET ALWAYS-ON ON");
    await client.expect(fromNickServ(client.nick, "You are not logged in"));
    client.send("NS REGISTER pw-always", "NS SET ALWAYS-ON ON");
    await client.expect(fromNickServ(client.nick, "Always-on is now on"));
    expect(await state.server?.accounts?.store.get(client.nick)).toMatchObject({ alwaysOn: true });
    client.send("NS INFO");
    await client.expect(fromNickServ(client.nick, "Always-on: on; certificates: 0"));
    client.send("NS SET ALWAYS-ON OFF");
    await client.expect(fromNickServ(client.nick, "Always-on is now off"));
    client.send("NS SET ALWAYS-ON DEFAULT");
    await client.expect(fromNickServ(client.nick, "Always-on is now off"));
    expect((await state.server?.accounts?.store.get(client.nick))?.alwaysOn).toBeUndefined();
    client.send("NS SET ALWAYS-ON MAYBE");
    await client.expect(fromNickServ(client.nick, "Syntax: SET ALWAYS-ON ON\\|OFF\\|DEFAULT"));
  });

  test("CERT ADD <fingerprint>, LIST and DEL; a malformed fingerprint or none over plain TCP is refused", async () => {
    const fp = "ab".repeat(32);
    const client = await user("certs");
    client.send("NS REGISTER pw-certs");
    await client.expect(/ 900 /);
    client.send("NS CERT LIST");
    await client.expect(fromNickServ(client.nick, "No certificates"));
    client.send("NS CERT ADD");
    await client.expect(fromNickServ(client.nick, "Give a SHA-256 fingerprint \\(64 hex digits\\), or connect with TLS and a client certificate"));
    client.send("NS CERT ADD 1234");
    await client.expect(fromNickServ(client.nick, "Give a SHA-256 fingerprint .*"));
    client.send(`NS CERT ADD ${fp.toUpperCase()}`);
    await client.expect(fromNickServ(client.nick, `Certificates: ${fp}`));
    client.send("NS CERT LIST");
    await client.expect(fromNickServ(client.nick, `Certificates: ${fp}`));
    expect(await state.server?.accounts?.store.byCertfp(fp)).toBe(client.nick);
    client.send(`NS CERT DEL ${fp}`);
    await client.expect(fromNickServ(client.nick, "Certificates: none"));
    expect(await state.server?.accounts?.store.byCertfp(fp)).toBeUndefined();
  });

  test.each([
    ["PRIVMSG NickServ :HELP"],
    ["PRIVMSG nickserv :help"],
    ["NS HELP"],
    ["NICKSERV HELP"],
    ["ns help"],
  ])("%s reaches NickServ", async (line) => {
    const client = await user("reach");
    client.send(line);
    await client.expect(fromNickServ(client.nick, "NickServ keeps accounts\\. Commands:"));
  });

  test("PRIVMSG NickServ is not echoed (echo-message) nor relayed; NOTICE NickServ gets no answer", async () => {
    const { name, password } = await newAccount();
    const client = await user("secret", ["echo-message"]);
    client.send(`PRIVMSG NickServ :IDENTIFY ${name} ${password}`);
    await client.expect(/ 900 /);
    client.send("NOTICE NickServ :HELP", "PING :done");
    await client.expect(/PONG \S+ :?done/);
    expect(client.lines.some((line) => line.includes(password))).toBe(false);
    expect(client.lines.some((line) => /NickServ.*NOTICE \S+ :NickServ keeps/.test(line))).toBe(false);
  });

  test("NICK NickServ is refused with 432, before and after registration", async () => {
    const early = await raw();
    early.send("NICK NickServ");
    await early.expect(/^:irc\.test 432 \* NickServ :Erroneous nickname$/);
    const client = await user("impostor");
    client.send("NICK nickserv");
    await client.expect(new RegExp(`^:irc\\.test 432 ${client.nick} nickserv :Erroneous nickname$`));
  });
});

/** Every byte of the SQLite database and its WAL, as latin1 text (bytes map one to one). */
function databaseBytes(dataDir: string): string {
  return ["chat-accounts.db", "chat-accounts.db-wal", "chat-accounts.db-journal"]
    .map((file) => path.join(dataDir, file))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("\n");
}

/** The password in the forms it could leak as: itself, base64, hex. */
function forms(password: string): string[] {
  const bytes = Buffer.from(password, "utf8");
  return [password, bytes.toString("base64"), bytes.toString("base64").replace(/=+$/, ""), bytes.toString("hex"), bytes.toString("hex").toUpperCase()];
}

describe("stored passwords cannot be read back", () => {
  const first = "Zebra-Quokka-7781-unguessable";
  const second = "Platypus-Narwhal-4412-unguessable";

  test("SQLite: neither password (nor its base64 or hex) is in the database or its WAL; the hash is $scrypt$", async () => {
    const dataDir = tempDir();
    const started = await startServer({ accounts: accountsOptions({}, dataDir) });
    try {
      const client = await register(started.port, "vault");
      client.send(`NS REGISTER ${first}`);
      await client.expect(/ 900 /);
      client.send(`NS PASSWD ${first} ${second}`);
      await client.expect(/NOTICE vault :Password changed$/);
      const bytes = databaseBytes(dataDir);
      expect(bytes).toContain("vault");
      for (const form of [...forms(first), ...forms(second)]) expect(bytes).not.toContain(form);
      const record = await started.server.accounts?.store.get("vault");
      expect(record?.password).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
      expect(bytes).toContain(record?.password);
      client.close();
    } finally {
      await started.stop();
    }
  });

  test.skipIf(redisProgram().skip)("Redis: no key's value holds either password (nor its base64 or hex); the hash is $scrypt$", async () => {
    const redis = await startRedis();
    const prefix = "vaulttest";
    const started = await startServer({ accounts: { store: new RedisAccounts({ url: redis.url, prefix }), cost: testScryptCost } });
    const reader = new Redis(redis.url);
    try {
      const client = await register(started.port, "vault");
      client.send(`NS REGISTER ${first}`);
      await client.expect(/ 900 /);
      client.send(`NS PASSWD ${first} ${second}`);
      await client.expect(/NOTICE vault :Password changed$/);
      client.close();
      const keys = await reader.keys("*");
      expect(keys).toContain(`${prefix}:acct:vault`);
      const values: string[] = [];
      for (const key of keys) {
        const type = await reader.type(key);
        if (type === "hash") values.push(...Object.entries(await reader.hgetall(key)).flat());
        else if (type === "string") values.push((await reader.get(key)) ?? "");
        else if (type === "set") values.push(...(await reader.smembers(key)));
        else if (type === "list") values.push(...(await reader.lrange(key, 0, -1)));
        else if (type === "zset") values.push(...(await reader.zrange(key, "0", "-1")));
        else throw new Error(`key ${key} of type ${type} is not dumped`);
        values.push(key);
      }
      const text = values.join("\n");
      expect(text).toContain("vault");
      for (const form of [...forms(first), ...forms(second)]) expect(text).not.toContain(form);
      const hash = await reader.hget(`${prefix}:acct:vault`, "password");
      expect(hash).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
      expect(await tryLogin(started.port, "vault", second)).toBe("903");
    } finally {
      reader.disconnect();
      await started.stop();
      await redis.stop();
    }
  });
});

const accountTool = fileURLToPath(new URL("../bin/chat-server-account.js", import.meta.url));

/** Runs chat-server-account with input on stdin. */
function runTool(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [accountTool, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("chat-server-account", () => {
  test("add NAME with the password on stdin: a server on that data dir accepts it; add again fails with one line; drop removes it", async () => {
    const dataDir = tempDir();
    const cost = ["--scrypt-cost", "ln=10,r=8,p=1"];
    const added = await runTool(["add", "ToolUser", "--data-dir", dataDir, ...cost], "tool password here\n");
    expect(added).toEqual({ code: 0, stdout: "registered ToolUser\n", stderr: "" });
    const started = await startServer({ accounts: accountsOptions({}, dataDir) });
    try {
      expect(await tryLogin(started.port, "tooluser", "tool password here")).toBe("903");
      expect(await tryLogin(started.port, "tooluser", "tool password here\n")).toBe("904");

      // While the server runs, against the same database.
      const again = await runTool(["add", "tooluser", "--data-dir", dataDir, ...cost], "other password\n");
      expect(again.code).toBe(1);
      expect(again.stdout).toBe("");
      expect(again.stderr).toBe("chat-server-account: cannot register tooluser: it exists\n");
      expect(await tryLogin(started.port, "tooluser", "other password")).toBe("904");

      const dropped = await runTool(["drop", "TOOLUSER", "--data-dir", dataDir], "");
      expect(dropped).toEqual({ code: 0, stdout: "dropped TOOLUSER\n", stderr: "" });
      expect(await tryLogin(started.port, "tooluser", "tool password here")).toBe("904");
      const missing = await runTool(["drop", "tooluser", "--data-dir", dataDir], "");
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe("chat-server-account: no account tooluser\n");
    } finally {
      await started.stop();
    }
  });

  test.skipIf(redisProgram().skip)("add --redis: a server on that Redis accepts the account", async () => {
    const redis = await startRedis();
    try {
      const added = await runTool(["add", "redisuser", "--redis", redis.url, "--scrypt-cost", "ln=10,r=8,p=1"], "redis tool pw\n");
      expect(added).toEqual({ code: 0, stdout: "registered redisuser\n", stderr: "" });
      const again = await runTool(["add", "RedisUser", "--redis", redis.url, "--scrypt-cost", "ln=10,r=8,p=1"], "x\n");
      expect([again.code, again.stderr]).toEqual([1, "chat-server-account: cannot register RedisUser: it exists\n"]);
      const started = await startServer({ accounts: { store: new RedisAccounts({ url: redis.url }), cost: testScryptCost } });
      try {
        expect(await tryLogin(started.port, "redisuser", "redis tool pw")).toBe("903");
      } finally {
        await started.stop();
      }
    } finally {
      await redis.stop();
    }
  });

  test("add with an empty password or a name that is no nick fails with one line, no stack", async () => {
    const dataDir = tempDir();
    const empty = await runTool(["add", "nopass", "--data-dir", dataDir, "--scrypt-cost", "ln=10,r=8,p=1"], "\n");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^chat-server-account: cannot register nopass: [^\n]+\n$/);
    const badName = await runTool(["add", "#chan", "--data-dir", dataDir, "--scrypt-cost", "ln=10,r=8,p=1"], "pw\n");
    expect(badName.code).toBe(1);
    expect(badName.stderr).toBe("chat-server-account: cannot register #chan: not a valid nick\n");
  });
});
