import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import { useServer } from "./fixture.js";
import { testScryptCost, type RawClient } from "./raw-client.js";
import { loggedIn } from "./sasl-client.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "chat-markers-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const { state, user, raw, channel } = useServer(async () => ({
  accounts: { store: new SqliteAccounts({ dataDir }), cost: testScryptCost, loginsPerAddress: { max: 0, windowMs: 1 }, registrationsPerAddress: { max: 0, windowMs: 1 } },
}));

const caps = ["draft/read-marker"];
const opened: RawClient[] = [];
afterAll(() => {
  for (const client of opened) client.close();
});

let serial = 0;
async function newAccount(): Promise<{ name: string; password: string }> {
  const name = `mark${++serial}`;
  const password = `pw-${name}`;
  expect(await state.server?.accounts?.register(name, password, undefined, "setup")).toBe("ok");
  return { name, password };
}

/** A registered connection logged into account, with draft/read-marker. */
async function device(nick: string, account: { name: string; password: string }): Promise<RawClient> {
  const client = await loggedIn(state.port, nick, account.name, account.password, caps);
  opened.push(client);
  return client;
}

const t1 = "2026-03-01T10:00:00.000Z";
const t2 = "2026-03-01T11:30:00.250Z";

describe("MARKREAD", () => {
  test("a target with no marker: MARKREAD target *", async () => {
    const client = await user("fresh", caps);
    client.send("MARKREAD #nowhere");
    await client.expect(/^:irc\.test MARKREAD #nowhere \*$/);
  });

  test("set, then get: the same timestamp", async () => {
    const client = await user("setter", caps);
    const ch = channel();
    client.send(`MARKREAD ${ch} timestamp=${t1}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t1}$`));
    client.send(`MARKREAD ${ch}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t1}$`));
    client.send(`MARKREAD ${ch.toUpperCase()}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch.toUpperCase()} timestamp=${t1}$`));
  });

  test("the marker never moves back: an earlier timestamp gets the current one", async () => {
    const client = await user("mover", caps);
    const ch = channel();
    client.send(`MARKREAD ${ch} timestamp=${t2}`);
    await client.expect(new RegExp(`MARKREAD ${ch} timestamp=${t2}$`));
    client.send(`MARKREAD ${ch} timestamp=${t1}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t2}$`));
    client.send(`MARKREAD ${ch}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t2}$`));
  });

  test.each([
    ["not a time", "timestamp=yesterday"],
    ["no timestamp= prefix", t1],
    ["no time zone", "timestamp=2026-03-01T10:00:00"],
    ["month 13", "timestamp=2026-13-01T10:00:00.000Z"],
    ["February 30", "timestamp=2026-02-30T10:00:00.000Z"],
    ["hour 24", "timestamp=2026-03-01T24:00:00.000Z"],
  ])("an invalid timestamp (%s): FAIL MARKREAD INVALID_PARAMS, the marker stays", async (_what, value) => {
    const client = await user("invalid", caps);
    const ch = channel();
    client.send(`MARKREAD ${ch} ${value}`);
    await client.expect(new RegExp(`^:irc\\.test FAIL MARKREAD INVALID_PARAMS ${ch} :Invalid timestamp$`));
    client.send(`MARKREAD ${ch}`);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} \\*$`));
  });

  test("no target: FAIL MARKREAD NEED_MORE_PARAMS", async () => {
    const client = await user("bare", caps);
    client.send("MARKREAD");
    await client.expect(/^:irc\.test FAIL MARKREAD NEED_MORE_PARAMS :/);
  });

  test("a timestamp without milliseconds comes back in server-time form, with or without an account", async () => {
    const anonymous = await user("anon", caps);
    const account = await device("withacct", await newAccount());
    const ch = channel();
    for (const client of [anonymous, account]) {
      client.send(`MARKREAD ${ch} timestamp=2026-03-01T09:00:00Z`);
      await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=2026-03-01T09:00:00\\.000Z$`));
    }
  });

  test("after JOIN a draft/read-marker client gets MARKREAD before 366; others get none", async () => {
    const client = await user("joiner", caps);
    const plain = await user("plain");
    const ch = channel();
    client.send(`JOIN ${ch}`);
    await client.expect(/ 366 /);
    const index = (pattern: RegExp): number => client.lines.findIndex((line) => pattern.test(line));
    expect(client.lines[index(/ MARKREAD /)]).toBe(`:irc.test MARKREAD ${ch} *`);
    expect(index(/ 353 /)).toBeLessThan(index(/ MARKREAD /));
    expect(index(/ MARKREAD /)).toBe(index(/ 366 /) - 1);

    client.send(`MARKREAD ${ch} timestamp=${t1}`, `PART ${ch}`, `JOIN ${ch}`);
    await client.expect(/ 366 /);
    expect(client.lines.filter((line) => / MARKREAD /.test(line)).at(-1)).toBe(`:irc.test MARKREAD ${ch} timestamp=${t1}`);
    expect(client.lines.findLastIndex((line) => / MARKREAD /.test(line))).toBe(client.lines.findLastIndex((line) => / 366 /.test(line)) - 1);

    plain.send(`JOIN ${ch}`);
    await plain.expect(/ 366 /);
    plain.send("MARKREAD #x", "PING :end");
    await plain.expect(/PONG \S+ :?end/);
    expect(plain.lines.some((line) => / MARKREAD /.test(line))).toBe(false);
  });

  test("without an account the marker is the user's alone: a new connection starts from *", async () => {
    const ch = channel();
    const first = await user("gone", caps);
    first.send(`MARKREAD ${ch} timestamp=${t1}`);
    await first.expect(/ MARKREAD /);
    first.send("QUIT");
    await first.done;
    const second = await user("gone", caps);
    second.send(`MARKREAD ${ch}`);
    await second.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} \\*$`));
  });
});

describe("MARKREAD with an account", () => {
  test("the marker is kept across connections: set, QUIT, log in again, MARKREAD returns it (and JOIN sends it)", async () => {
    const account = await newAccount();
    const ch = channel();
    const first = await device("keeper", account);
    first.send(`MARKREAD ${ch} timestamp=${t2}`);
    await first.expect(new RegExp(`MARKREAD ${ch} timestamp=${t2}$`));
    first.send("QUIT :bye");
    await first.done;

    const second = await device("keeper", account);
    second.send(`MARKREAD ${ch}`);
    await second.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t2}$`));
    second.send(`JOIN ${ch}`);
    await second.expect(/ 366 /);
    expect(second.lines.filter((line) => / MARKREAD /.test(line)).at(-1)).toBe(`:irc.test MARKREAD ${ch} timestamp=${t2}`);
    // It is the account's, not the nick's: a connection with the nick but no account has none.
    second.send("QUIT");
    await second.done;
    const stranger = await raw();
    stranger.send("CAP REQ :draft/read-marker", "NICK keeper", "USER keeper 0 * :K", "CAP END");
    await stranger.expect(/ 001 keeper /);
    stranger.send(`MARKREAD ${ch}`);
    await stranger.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} \\*$`));
  });

  test("every device of the account hears of a new marker", async () => {
    const account = await newAccount();
    const ch = channel();
    const phone = await device("multi", account);
    const laptop = await device("multi", account);
    laptop.send(`MARKREAD ${ch} timestamp=${t1}`);
    await laptop.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t1}$`));
    await phone.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t1}$`));
  });

  test("logging in replaces the connection's own markers with the account's", async () => {
    const account = await newAccount();
    const ch = channel();
    const setter = await device("acctmark", account);
    setter.send(`MARKREAD ${ch} timestamp=${t1}`);
    await setter.expect(/ MARKREAD /);
    setter.close();

    const client = await user("later", ["draft/read-marker", "sasl"]);
    client.send(`MARKREAD ${ch} timestamp=${t2}`);
    await client.expect(new RegExp(`MARKREAD ${ch} timestamp=${t2}$`));
    client.send(`NS IDENTIFY ${account.name} ${account.password}`, `MARKREAD ${ch}`);
    await client.expect(/ 900 /);
    await client.expect(new RegExp(`^:irc\\.test MARKREAD ${ch} timestamp=${t1}$`));
  });
});
