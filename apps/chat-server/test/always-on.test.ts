import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import { openSqliteHistory } from "../src/index.js";
import { login, register, startServer, testScryptCost, type RawClient } from "./raw-client.js";

/** A server on its own data dir (accounts and history), which a test may stop and start again. */
function dataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "chat-always-on-"));
}

async function serverOn(dir: string, alwaysOn = true) {
  return startServer({
    history: openSqliteHistory({ dataDir: dir }),
    accounts: { store: new SqliteAccounts({ dataDir: dir }), cost: testScryptCost, alwaysOnDefault: alwaysOn },
  });
}

const open: RawClient[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  for (const stop of stops.splice(0)) await stop();
});
function keep<T extends RawClient>(client: T): T {
  open.push(client);
  return client;
}

/** Registers account (named as the nick) through a first connection, which then quits. */
async function account(port: number, name: string, password = "pw-" + name): Promise<void> {
  const client = keep(await register(port, name));
  client.send(`NS REGISTER ${password}`);
  await client.expect(/ 900 /);
  client.send("QUIT");
  await client.expect(/^ERROR/);
}

describe("one user on several devices (multiclient)", () => {
  test("two devices share one nick and one presence; each sees what the other sends; the user leaves with its last device", async () => {
    const { port, stop } = await serverOn(dataDir(), false);
    stops.push(stop);
    await account(port, "ann");
    const phone = keep(await login(port, "ann", "ann", "pw-ann", ["echo-message"]));
    phone.send("JOIN #room");
    await phone.expect(/ 366 /);
    const bob = keep(await register(port, "bob"));
    bob.send("JOIN #room");
    await bob.expect(/ 366 /);
    const laptop = keep(await login(port, "ann", "ann", "pw-ann"));
    // The new device is put on the user's channels as it registers.
    expect(await laptop.expect(/ JOIN #room/)).toMatch(/^:ann!\S+ JOIN #room$/);
    expect(await laptop.expect(/ 353 /)).toMatch(/ann/);
    // One presence: bob saw no second JOIN, NAMES lists ann once.
    expect(await bob.sees(/:ann!\S+ JOIN/, 200)).toBe(false);
    bob.send("NAMES #room");
    expect((await bob.expect(/ 353 /)).match(/\bann\b/g)).toHaveLength(1);
    phone.send("PRIVMSG #room :from the phone");
    expect(await laptop.expect(/from the phone/)).toMatch(/^(@\S+ )?:ann!\S+ PRIVMSG #room :from the phone$/);
    await bob.expect(/from the phone/);
    bob.send("PRIVMSG #room :to both");
    await phone.expect(/to both/);
    await laptop.expect(/to both/);
    phone.send("QUIT :phone off");
    await phone.expect(/^ERROR/);
    expect(await bob.sees(/ QUIT /, 300)).toBe(false);
    laptop.send("QUIT :laptop off");
    expect(await bob.expect(/ QUIT /)).toMatch(/^:ann!\S+ QUIT :Quit: laptop off$/);
  });

  test("a read marker set on one device reaches the other", async () => {
    const { port, stop } = await serverOn(dataDir(), false);
    stops.push(stop);
    await account(port, "cat");
    const one = keep(await login(port, "cat", "cat", "pw-cat", ["draft/read-marker"]));
    const two = keep(await login(port, "cat", "cat", "pw-cat", ["draft/read-marker"]));
    one.send("MARKREAD #x timestamp=2026-01-02T03:04:05.678Z");
    expect(await two.expect(/MARKREAD/)).toMatch(/ MARKREAD #x timestamp=2026-01-02T03:04:05\.678Z$/);
  });
});

describe("always-on", () => {
  test("with no device the user stays on its channels; the returning device gets what it missed, once, in order", async () => {
    const { port, stop } = await serverOn(dataDir());
    stops.push(stop);
    await account(port, "dan");
    const dan = keep(await login(port, "dan", "dan", "pw-dan"));
    dan.send("JOIN #ops");
    await dan.expect(/ 366 /);
    const eve = keep(await register(port, "eve"));
    eve.send("JOIN #ops");
    await eve.expect(/ 366 /);
    dan.send("QUIT :bye");
    await dan.expect(/^ERROR/);
    expect(await eve.sees(/ QUIT /, 300)).toBe(false);
    eve.send("NAMES #ops");
    expect(await eve.expect(/ 353 /)).toMatch(/\bdan\b/);
    eve.send("PRIVMSG #ops :one", "PRIVMSG #ops :two", "PRIVMSG dan :private three", "PRIVMSG #ops :four");
    await eve.sees(/never/, 300);
    const back = keep(await RawClientLogin(port));
    const lines: string[] = [];
    for (const text of ["one", "two", "private three", "four"]) lines.push(await back.expect(new RegExp(`:${text}$`)));
    expect(lines.map((line) => line.replace(/^.*PRIVMSG /, ""))).toEqual(["#ops :one", "#ops :two", "dan :private three", "#ops :four"]);
    expect(await back.sees(/:one$/, 300)).toBe(false);
  });

  test("a restart brings the always-on user back on its channels", async () => {
    const dir = dataDir();
    const first = await serverOn(dir);
    await account(first.port, "fay");
    const fay = keep(await login(first.port, "fay", "fay", "pw-fay"));
    fay.send("JOIN #keep");
    await fay.expect(/ 366 /);
    fay.close();
    await first.stop();
    const second = await serverOn(dir);
    stops.push(second.stop);
    const gus = keep(await register(second.port, "gus"));
    gus.send("JOIN #keep");
    expect(await gus.expect(/ 353 /)).toMatch(/\bfay\b/);
  });
});

async function RawClientLogin(port: number): Promise<RawClient> {
  return login(port, "dan", "dan", "pw-dan");
}
