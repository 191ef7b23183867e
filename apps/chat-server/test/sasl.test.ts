import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProgram, selfSignedCert, type SelfSignedCert } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import type { ChatServer, ChatServerOptions } from "../src/index.js";
import { joinAll, useServer } from "./fixture.js";
import { startServer, testScryptCost, type RawClient } from "./raw-client.js";
import { b64, finishRegistration, fingerprint, loggedIn, plainLogin, plainPayload, saslConnection, scramLogin, sendChunks, tlsConnect } from "./sasl-client.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** SQLite accounts in a fresh directory, cheap scrypt, and the given limits (none on addresses unless given). */
function accountsOptions(extra: Partial<NonNullable<ChatServerOptions["accounts"]>> = {}): NonNullable<ChatServerOptions["accounts"]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "chat-sasl-"));
  dirs.push(dir);
  return { store: new SqliteAccounts({ dataDir: dir }), cost: testScryptCost, loginsPerAddress: { max: 0, windowMs: 1 }, registrationsPerAddress: { max: 0, windowMs: 1 }, ...extra };
}

let serial = 0;
/** Registers a fresh account through the server's account service; its name and password. */
async function newAccount(server: ChatServer | undefined, password = `pw-${++serial}-secret`): Promise<{ name: string; password: string }> {
  const name = `acct${++serial}`;
  expect(await server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
  return { name, password };
}

const { state, user, raw, channel } = useServer(async () => ({ accounts: accountsOptions() }));
const port = (): number => state.port;

/** A connection of this test file's server that asked for sasl, not registered yet. */
async function saslClient(caps: string[] = []): Promise<RawClient> {
  const client = await raw();
  client.send("CAP LS 302", `CAP REQ :${["sasl", ...caps].join(" ")}`);
  await client.expect(/ CAP \S+ ACK :sasl/);
  return client;
}

describe("SASL: the capability", () => {
  test("CAP LS 302 offers sasl=PLAIN,EXTERNAL,SCRAM-SHA-256", async () => {
    const client = await raw();
    client.send("CAP LS 302");
    const line = await client.expect(/ CAP \* LS :/);
    expect(line.split(" :")[1]?.split(" ")).toContain("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256");
  });

  test("AUTHENTICATE without the sasl capability fails (904) and starts nothing", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await raw();
    client.send("NICK nocap1", "USER n 0 * :N", "AUTHENTICATE PLAIN");
    await client.expect(/^:irc\.test 904 nocap1 :SASL authentication failed$/);
    client.send(`AUTHENTICATE ${plainPayload(name, password)}`, "PING :after");
    await client.expect(/ 904 nocap1 /);
    await client.expect(/PONG \S+ :?after/);
    expect(client.lines.some((line) => / 90[03] /.test(line))).toBe(false);
  });
});

describe("SASL PLAIN", () => {
  test("success before registration: AUTHENTICATE +, 900 with the mask, 903; WHOIS 330 and account-tag show the account", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("NICK plainok", "USER plainok 0 * :P");
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/^:irc\.test AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${plainPayload(name, password)}`);
    await client.expect(new RegExp(`^:irc\\.test 900 plainok plainok!~plainok@127\\.0\\.0\\.1 ${name} :You are now logged in as ${name}$`));
    await client.expect(/^:irc\.test 903 plainok :SASL authentication successful$/);
    expect(client.lines.some((line) => / 001 /.test(line))).toBe(false);
    client.send("CAP END");
    await client.expect(/ 001 plainok /);
    await client.expect(/ (376|422) /);

    const peer = await user("peer", ["account-tag"]);
    peer.send("WHOIS plainok");
    await peer.expect(new RegExp(` 330 ${peer.nick} plainok ${name} :is logged in as$`));
    const ch = channel();
    client.send(`JOIN ${ch}`);
    await client.expect(/ 366 /);
    peer.send(`JOIN ${ch}`);
    await peer.expect(/ 366 /);
    client.send(`PRIVMSG ${ch} :signed`);
    await peer.expect(new RegExp(`^@account=${name} :plainok!~plainok@127\\.0\\.0\\.1 PRIVMSG ${ch} :signed$`));
    client.close();
  });

  test("the account name is matched case-insensitively and comes back as registered", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    expect(await plainLogin(client, name.toUpperCase(), password)).toBe("903");
    expect(client.lines).toContainEqual(expect.stringMatching(new RegExp(` 900 \\S+ \\S+ ${name} :`)));
  });

  test("a wrong password and an unknown account get the same 904, and nothing logs in", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("NICK plainbad", "USER p 0 * :P");
    expect(await plainLogin(client, name, `${password}x`)).toBe("904");
    const wrong = client.lines.at(-1);
    expect(await plainLogin(client, "nosuchaccount", password)).toBe("904");
    const unknown = client.lines.at(-1);
    expect(wrong).toBe(":irc.test 904 plainbad :SASL authentication failed");
    expect(unknown).toBe(wrong);
    expect(client.lines.some((line) => / 90[03] /.test(line))).toBe(false);
    // The exchange is over after a failure: a new one with the right password works.
    expect(await plainLogin(client, name, password)).toBe("903");
  });

  test("an authzid other than the authcid is refused even with the right password; the same authzid is fine", async () => {
    const { name, password } = await newAccount(state.server);
    const other = await newAccount(state.server);
    const client = await saslClient();
    expect(await plainLogin(client, name, password, other.name)).toBe("904");
    expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
    expect(await plainLogin(client, name, password, name)).toBe("903");
  });

  test("authzid and authcid are compared with the server's casemapping (rfc1459: [ ] are { })", async () => {
    const name = `Al[ice]${++serial}`;
    const password = "pw-casemapped";
    expect(await state.server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
    const client = await saslClient();
    // The store finds the account either way...
    expect(await plainLogin(client, name.replace("[", "{").replace("]", "}"), password)).toBe("903");
    // ...so an authzid that names it in the other case must not be refused.
    expect(await plainLogin(client, name, password, name.toLowerCase().replace("[", "{").replace("]", "}"))).toBe("903");
    expect(client.lines.filter((line) => new RegExp(` 900 \\S+ \\S+ ${name.replace(/[[\]]/g, "\\$&")} :`).test(line))).toHaveLength(2);
  });

  test.each([
    ["not base64 at all", "!!!not*base64"],
    ["base64 without its padding", b64("\0user\0password").replace(/=+$/, "")],
    ["base64 of something without NULs", b64("just text")],
    ["base64 of too many fields", b64("a\0b\0c\0d")],
  ])("malformed data (%s) fails with 904", async (_what, data) => {
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${data}`);
    await client.expect(/^:irc\.test 904 \S+ :SASL authentication failed$/);
    expect(client.lines.some((line) => / 90[03] /.test(line))).toBe(false);
  });

  test("AUTHENTICATE * aborts the exchange (906); the next one starts afresh", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send("AUTHENTICATE *");
    await client.expect(/^:irc\.test 906 \S+ :SASL authentication aborted$/);
    // Were the PLAIN exchange still open, these credentials would be taken as its data instead of a mechanism name.
    client.send(`AUTHENTICATE ${plainPayload(name, password)}`);
    await client.expect(/ 908 \S+ PLAIN,EXTERNAL,SCRAM-SHA-256 /);
    await client.expect(/ 904 /);
    expect(await plainLogin(client, name, password)).toBe("903");
  });

  test("a 401-byte chunk is too long (905) and ends the exchange; the connection goes on", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${"A".repeat(401)}`);
    await client.expect(/^:irc\.test 905 \S+ :SASL message too long$/);
    expect(await plainLogin(client, name, password)).toBe("903");
  });

  test("exactly-400-byte chunks wait for more; AUTHENTICATE + ends the message (a long password works)", async () => {
    const name = `acct${++serial}`;
    // 2 + name + password = 600 bytes: 800 bytes of base64, two full chunks.
    const password = "p".repeat(598 - name.length);
    expect(await state.server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
    const payload = plainPayload(name, password);
    expect(payload.length).toBe(800);
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${payload.slice(0, 400)}`, `AUTHENTICATE ${payload.slice(400)}`);
    expect(await client.sees(/ 90\d /, 300)).toBe(false);
    client.send("AUTHENTICATE +");
    await client.expect(new RegExp(` 900 \\S+ \\S+ ${name} :`));
    await client.expect(/ 903 /);
  });

  test("a message not ending on a chunk boundary ends with its short chunk (no + needed)", async () => {
    const name = `acct${++serial}`;
    const password = "q".repeat(500);
    expect(await state.server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    const payload = plainPayload(name, password);
    expect(payload.length % 400).not.toBe(0);
    sendChunks(client, payload);
    await client.expect(/ 903 /);
    expect(client.lines.filter((line) => / AUTHENTICATE /.test(line))).toHaveLength(1);
  });

  test("more than 4096 bytes of chunks fail (904) and the connection stays usable", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send(...Array.from({ length: 11 }, () => `AUTHENTICATE ${"QUFB".repeat(100)}`));
    await client.expect(/^:irc\.test 904 \S+ :SASL authentication failed$/);
    expect(client.lines.filter((line) => / 90\d /.test(line))).toHaveLength(1);
    client.send("PING :still-here");
    await client.expect(/PONG \S+ :?still-here/);
    expect(await plainLogin(client, name, password)).toBe("903");
    await finishRegistration(client, "bigchunks");
  });

  test("an unknown mechanism: 908 lists PLAIN,EXTERNAL,SCRAM-SHA-256, then 904", async () => {
    const client = await saslClient();
    client.send("NICK mechs", "USER m 0 * :M", "AUTHENTICATE DIGEST-MD5");
    const list = await client.expect(/ 908 /);
    expect(list).toBe(":irc.test 908 mechs PLAIN,EXTERNAL,SCRAM-SHA-256 :are available SASL mechanisms");
    const failed = await client.expect(/ 904 /);
    expect(client.lines.indexOf(failed)).toBe(client.lines.indexOf(list) + 1);
  });

  test("logging in before registration holds the connection's next lines: 900 and 903 come before 001, nothing is lost", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("AUTHENTICATE PLAIN");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send(`AUTHENTICATE ${plainPayload(name, password)}`, "NICK quick", "USER quick 0 * :Q", "CAP END", "PING :then", "WHOIS quick");
    await client.expect(/ (376|422) /);
    await client.expect(/PONG \S+ :?then/);
    await client.expect(new RegExp(` 330 quick quick ${name} :is logged in as$`));
    const index = (pattern: RegExp): number => client.lines.findIndex((line) => pattern.test(line));
    expect(index(/ 900 /)).toBeGreaterThanOrEqual(0);
    expect(index(/ 900 /)).toBeLessThan(index(/ 903 /));
    expect(index(/ 903 /)).toBeLessThan(index(/ 001 /));
    expect(client.lines[index(/ 001 /)]).toMatch(/^:irc\.test 001 quick :Welcome/);
  });
});

describe("SASL re-authentication (3.2)", () => {
  test("after registration AUTHENTICATE switches the account; account-notify peers see ACCOUNT", async () => {
    const first = await newAccount(state.server);
    const second = await newAccount(state.server);
    const client = await loggedIn(port(), "reauth", first.name, first.password);
    const peer = await user("watch", ["account-notify"]);
    const ch = channel();
    client.send(`JOIN ${ch}`);
    await client.expect(/ 366 /);
    await joinAll(ch, peer);
    expect(await plainLogin(client, second.name, second.password)).toBe("903");
    expect(client.lines).toContainEqual(expect.stringMatching(new RegExp(` 900 reauth reauth!~reauth@127\\.0\\.0\\.1 ${second.name} :`)));
    await peer.expect(new RegExp(`^:reauth!~reauth@127\\.0\\.0\\.1 ACCOUNT ${second.name}$`));
    peer.send("WHOIS reauth");
    await peer.expect(new RegExp(` 330 ${peer.nick} reauth ${second.name} :`));
    // A failed re-authentication keeps the account it had.
    expect(await plainLogin(client, first.name, "wrong password")).toBe("904");
    peer.send("WHOIS reauth");
    await peer.expect(new RegExp(` 330 ${peer.nick} reauth ${second.name} :`));
    expect(peer.lines.filter((line) => / ACCOUNT /.test(line))).toHaveLength(1);
    client.close();
  });

  test("a registered client may ask for sasl later and log in; peers see ACCOUNT", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await user("late");
    const peer = await user("seer", ["account-notify"]);
    await joinAll(channel(), client, peer);
    client.send("CAP REQ :sasl");
    await client.expect(/ CAP \S+ ACK :sasl/);
    expect(await plainLogin(client, name, password)).toBe("903");
    await peer.expect(new RegExp(`^:${client.nick}!\\S+ ACCOUNT ${name}$`));
  });
});

describe("SASL SCRAM-SHA-256", () => {
  test("a client written from RFC 5802/7677 logs in and the server proves it knows the password (v=)", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    client.send("NICK scrammer", "USER scrammer 0 * :S");
    const result = await scramLogin(client, name, password);
    expect(result.serverFirst).toMatch(/^r=[!-+--~]+,s=[A-Za-z0-9+/]+=*,i=\d+$/);
    expect(result.serverVerified).toBe(true);
    expect(result.reply).toBe("903");
    expect(client.lines).toContainEqual(expect.stringMatching(new RegExp(` 900 scrammer scrammer!~scrammer@127\\.0\\.0\\.1 ${name} :`)));
    client.send("CAP END");
    await client.expect(/ 001 scrammer /);
    client.send("WHOIS scrammer");
    await client.expect(new RegExp(` 330 scrammer scrammer ${name} :`));
  });

  test("a wrong password fails at the proof (904), with no v= and no login", async () => {
    const { name, password } = await newAccount(state.server);
    const client = await saslClient();
    const result = await scramLogin(client, name, `not ${password}`);
    expect(result.serverFirst).toBeDefined();
    expect(result.reply).toBe("904");
    expect(result.serverVerified).toBe(false);
    expect(client.lines.some((line) => / 90[03] /.test(line))).toBe(false);
  });

  test("an unknown account gets a salt and a count like a real one, then 904", async () => {
    const client = await saslClient();
    const result = await scramLogin(client, "nobodyhere", "whatever");
    expect(result.serverFirst).toMatch(/^r=\S+,s=\S+,i=4096$/);
    expect(result.reply).toBe("904");
  });

  test("an authzid (a=) must name the user authenticating, compared with the server's casemapping", async () => {
    const name = `Scr[am]${++serial}`;
    const password = "pw-scram-authzid";
    expect(await state.server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
    const other = await newAccount(state.server);
    const client = await saslClient();
    expect(await scramLogin(client, name, password, other.name)).toMatchObject({ reply: "904", serverFirst: undefined });
    expect(await scramLogin(client, name, password, name)).toMatchObject({ reply: "903", serverVerified: true });
    expect(await scramLogin(client, name, password, name.toLowerCase().replace("[", "{").replace("]", "}"))).toMatchObject({ reply: "903", serverVerified: true });
  });
});

describe("login throttling", () => {
  test("after 5 failed PLAIN logins for an account in a minute, the right password is refused too; other accounts are not", async () => {
    const started = await startServer({ accounts: accountsOptions({ loginsPerAccount: { max: 5, windowMs: 60_000 } }) });
    try {
      const { name, password } = await newAccount(started.server);
      const other = await newAccount(started.server);
      const client = await saslConnection(started.port);
      for (let i = 0; i < 5; i++) expect(await plainLogin(client, name, `wrong ${i}`)).toBe("904");
      expect(await plainLogin(client, name, password)).toBe("904");
      // A fresh connection changes nothing: the limit is the account's.
      const fresh = await saslConnection(started.port);
      expect(await plainLogin(fresh, name, password)).toBe("904");
      expect(await scramLogin(fresh, name, password)).toMatchObject({ reply: "904" });
      expect(await plainLogin(fresh, other.name, other.password)).toBe("903");
      client.close();
      fresh.close();
    } finally {
      await started.stop();
    }
  });

  test("fewer failures than the limit do not lock the account", async () => {
    const started = await startServer({ accounts: accountsOptions({ loginsPerAccount: { max: 5, windowMs: 60_000 } }) });
    try {
      const { name, password } = await newAccount(started.server);
      const client = await saslConnection(started.port);
      for (let i = 0; i < 4; i++) expect(await plainLogin(client, name, `wrong ${i}`)).toBe("904");
      expect(await plainLogin(client, name, password)).toBe("903");
      client.close();
    } finally {
      await started.stop();
    }
  });

  test("failed SCRAM proofs count against the account as well", async () => {
    const started = await startServer({ accounts: accountsOptions({ loginsPerAccount: { max: 3, windowMs: 60_000 } }) });
    try {
      const { name, password } = await newAccount(started.server);
      const client = await saslConnection(started.port);
      for (let i = 0; i < 3; i++) expect((await scramLogin(client, name, `wrong ${i}`)).reply).toBe("904");
      expect(await plainLogin(client, name, password)).toBe("904");
      client.close();
    } finally {
      await started.stop();
    }
  });

  test("failed logins from one address are limited across accounts", async () => {
    const started = await startServer({ accounts: accountsOptions({ loginsPerAddress: { max: 3, windowMs: 60_000 } }) });
    try {
      const { name, password } = await newAccount(started.server);
      const client = await saslConnection(started.port);
      for (let i = 0; i < 3; i++) expect(await plainLogin(client, `ghost${i}`, "nothing")).toBe("904");
      expect(await plainLogin(client, name, password)).toBe("904");
      client.close();
    } finally {
      await started.stop();
    }
  });
});

const openssl = findProgram("openssl", "openssl");

describe.skipIf(openssl.skip)("SASL EXTERNAL (TLS client certificates)", () => {
  let serverCert: SelfSignedCert;
  let linked: SelfSignedCert;
  let byHand: SelfSignedCert;
  let stranger: SelfSignedCert;
  let authz: SelfSignedCert;
  let started: Awaited<ReturnType<typeof startServer>>;
  let tlsPort = 0;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    [serverCert, linked, byHand, stranger, authz] = ["localhost", "linked-client", "by-hand-client", "stranger", "authz-client"].map((name) => selfSignedCert(name)) as [SelfSignedCert, SelfSignedCert, SelfSignedCert, SelfSignedCert, SelfSignedCert];
    started = await startServer({ accounts: accountsOptions(), tls: { cert: serverCert.cert, key: serverCert.key, port: 0 } });
    tlsPort = started.server.allAddresses().find((address) => address.protocol === "ircs")?.port ?? 0;
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await started.stop();
    for (const cert of [serverCert, linked, byHand, stranger, authz]) cert.remove();
  });

  async function externalLogin(client: RawClient): Promise<string> {
    client.send("AUTHENTICATE EXTERNAL");
    await client.expect(/ AUTHENTICATE \+$/);
    client.send("AUTHENTICATE +");
    const end = await client.expect(/ 90[3-8] /);
    return / (90[3-8]) /.exec(end)?.[1] ?? "";
  }

  test("NS CERT ADD links the certificate of the connection; EXTERNAL with it then logs in", async () => {
    const { name, password } = await newAccount(started.server);
    const owner = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, linked));
    clients.push(owner);
    expect(await plainLogin(owner, name, password)).toBe("903");
    await finishRegistration(owner, "certowner");
    owner.send("NS CERT ADD");
    await owner.expect(new RegExp(`^:NickServ!NickServ@services\\.irc\\.test NOTICE certowner :Certificates: ${fingerprint(linked.cert)}$`));

    const device = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, linked));
    clients.push(device);
    device.send("NICK certdev", "USER certdev 0 * :C");
    expect(await externalLogin(device)).toBe("903");
    expect(device.lines).toContainEqual(`:irc.test 900 certdev certdev!~certdev@127.0.0.1 ${name} :You are now logged in as ${name}`);
  });

  test("NS CERT ADD <fingerprint> links a certificate given by hand, from a plain connection", async () => {
    const { name, password } = await newAccount(started.server);
    const owner = await loggedIn(started.port, "handowner", name, password);
    clients.push(owner);
    const colons = fingerprint(byHand.cert).toUpperCase().replace(/(..)(?!$)/g, "$1:");
    owner.send(`NS CERT ADD ${colons}`);
    await owner.expect(new RegExp(`NOTICE handowner :Certificates: ${fingerprint(byHand.cert)}$`));
    const device = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, byHand));
    clients.push(device);
    expect(await externalLogin(device)).toBe("903");
    expect(device.lines).toContainEqual(expect.stringMatching(new RegExp(` 900 \\S+ \\S+ ${name} :`)));
  });

  test("EXTERNAL with a certificate linked to no account fails (904)", async () => {
    const client = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, stranger));
    clients.push(client);
    expect(await externalLogin(client)).toBe("904");
    expect(client.lines.some((line) => / 900 /.test(line))).toBe(false);
  });

  test("EXTERNAL over TLS without a client certificate, and over plain TCP, fails (904)", async () => {
    const noCert = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort));
    clients.push(noCert);
    expect(await externalLogin(noCert)).toBe("904");
    const plain = await saslConnection(started.port);
    clients.push(plain);
    expect(await externalLogin(plain)).toBe("904");
  });

  test("EXTERNAL with an authzid: another account fails; the account itself, in either case, logs in", async () => {
    const name = `Ext[z]${++serial}`;
    const password = "pw-external";
    expect(await started.server.accounts?.register(name, password, undefined, "setup")).toBe("ok");
    const owner = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, authz));
    clients.push(owner);
    expect(await plainLogin(owner, name, password)).toBe("903");
    await finishRegistration(owner, "authzowner");
    owner.send("NS CERT ADD");
    await owner.expect(/NOTICE authzowner :Certificates: /);
    const device = await saslConnection(tlsPort, [], () => tlsConnect(tlsPort, authz));
    clients.push(device);
    device.send("AUTHENTICATE EXTERNAL");
    await device.expect(/ AUTHENTICATE \+$/);
    device.send(`AUTHENTICATE ${b64("someoneelse")}`);
    await device.expect(/ 904 /);
    device.send("AUTHENTICATE EXTERNAL");
    await device.expect(/ AUTHENTICATE \+$/);
    device.send(`AUTHENTICATE ${b64(name.toLowerCase().replace("[", "{").replace("]", "}"))}`);
    await device.expect(/ 903 /);
    expect(device.lines).toContainEqual(expect.stringContaining(` ${name} :You are now logged in as ${name}`));
  });
});
