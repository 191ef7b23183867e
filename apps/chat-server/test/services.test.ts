import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import { register, startServer, testScryptCost, type RawClient } from "./raw-client.js";

const open: RawClient[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) client.close();
  for (const stop of stops.splice(0)) await stop();
});

async function server(nickGraceMs: number) {
  const store = new SqliteAccounts({ dataDir: mkdtempSync(path.join(os.tmpdir(), "chat-services-")) });
  const started = await startServer({ accounts: { store, cost: testScryptCost, nickGraceMs } });
  stops.push(started.stop);
  return started.port;
}

async function client(port: number, nick: string): Promise<RawClient> {
  const connected = await register(port, nick);
  open.push(connected);
  return connected;
}

/** Registers account `name` through a connection that then quits. */
async function account(port: number, name: string): Promise<void> {
  const first = await client(port, name);
  first.send(`NS REGISTER pw-${name}`);
  await first.expect(/ 900 /);
  first.send("QUIT");
  await first.expect(/^ERROR/);
}

describe("registered nicks (NickServ enforcement)", () => {
  test("a user taking a registered nick is warned, then renamed when it does not log in", async () => {
    const port = await server(300);
    await account(port, "kim");
    const other = await client(port, "kim");
    expect(await other.expect(/NickServ/)).toMatch(/^:NickServ!\S+ NOTICE kim :The nick kim is registered\. Log in within 1 second \(/);
    expect(await other.expect(/ NICK /, 2_000)).toMatch(/^:kim!\S+ NICK :?Guest\d+$/);
    other.send("WHOIS kim");
    await other.expect(/ 401 /);
  });

  test("logging in within the grace time keeps the nick", async () => {
    const port = await server(400);
    await account(port, "lee");
    const owner = await client(port, "lee");
    await owner.expect(/NickServ/);
    owner.send("NS IDENTIFY pw-lee");
    await owner.expect(/ 900 /);
    expect(await owner.sees(/ NICK /, 700)).toBe(false);
  });

  test("with no grace time set, nicks are not enforced", async () => {
    const port = await server(0);
    await account(port, "mo");
    const other = await client(port, "mo");
    expect(await other.sees(/NickServ/, 300)).toBe(false);
  });
});

describe("channel founders (ChanServ)", () => {
  test("the founder gets +o back when it joins the channel, even made again by someone else", async () => {
    const port = await server(0);
    const founder = await client(port, "ned");
    founder.send("NS REGISTER pw-ned");
    await founder.expect(/ 900 /);
    founder.send("JOIN #owned");
    await founder.expect(/ 366 /);
    founder.send("CS REGISTER #owned");
    expect(await founder.expect(/ChanServ/)).toMatch(/:#owned is registered to ned$/);
    founder.send("PART #owned");
    await founder.expect(/ PART /);
    const squatter = await client(port, "oz");
    squatter.send("JOIN #owned");
    await squatter.expect(/ 366 /);
    squatter.send("CS REGISTER #owned");
    expect(await squatter.expect(/ChanServ/)).toMatch(/Log in first/);
    founder.send("JOIN #owned");
    expect(await squatter.expect(/ MODE #owned/)).toMatch(/^:irc\.test MODE #owned \+o ned$/);
    founder.send("CS INFO #owned");
    expect(await founder.expect(/ChanServ.*INFO|registered to/)).toMatch(/#owned is registered to ned$/);
  });

  test("only an operator of the channel may register it, and only its founder drop it", async () => {
    const port = await server(0);
    const op = await client(port, "pam");
    op.send("NS REGISTER pw-pam", "JOIN #c2");
    await op.expect(/ 366 /);
    const guest = await client(port, "quin");
    guest.send("NS REGISTER pw-quin", "JOIN #c2");
    await guest.expect(/ 366 /);
    guest.send("CS REGISTER #c2");
    expect(await guest.expect(/ChanServ/)).toMatch(/must be an operator of #c2/);
    op.send("CS REGISTER #c2");
    await op.expect(/registered to pam$/);
    guest.send("CS DROP #c2");
    expect(await guest.expect(/ChanServ/)).toMatch(/#c2 is not registered to you$/);
    op.send("CS DROP #c2");
    expect(await op.expect(/no longer registered/)).toMatch(/#c2 is no longer registered$/);
  });
});
