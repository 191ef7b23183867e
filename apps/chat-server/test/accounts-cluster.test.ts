import { startRedis } from "@netlab/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { noRedis, useCluster, type Redis } from "./cluster-fixture.js";
import { startDaemon } from "./daemon-process.js";
import { login, register, type RawClient } from "./raw-client.js";

/** Registers account `name` (named as the nick) through a first connection on port, which then quits. */
async function account(port: number, name: string, password: string): Promise<void> {
  const client = await register(port, name);
  client.send(`NS REGISTER ${password}`);
  await client.expect(/ 900 /);
  client.send("QUIT");
  await client.expect(/^ERROR/);
  client.close();
}

describe.skipIf(noRedis)("one account on two nodes", () => {
  const cluster = useCluster(2);
  const port = (at: number): number => cluster.state.nodes[at]?.port ?? 0;

  test("devices on two nodes share one nick and one presence, see each other's messages and read markers", async () => {
    await account(port(0), "ann", "pw-ann");
    const phone = await login(port(0), "ann", "ann", "pw-ann", ["draft/read-marker"]);
    cluster.track(phone);
    const room = cluster.channel();
    phone.send(`JOIN ${room}`);
    await phone.expect(/ 366 /);
    const bob = await cluster.user(1, "bob");
    bob.send(`JOIN ${room}`);
    await bob.expect(/ 366 /);
    // The laptop connects to the other node: it becomes a device of the same user.
    const laptop = await login(port(1), "ann", "ann", "pw-ann", ["draft/read-marker"]);
    cluster.track(laptop);
    expect(await laptop.expect(new RegExp(` JOIN ${room}$`))).toMatch(/^:ann!/);
    expect(await bob.sees(/:ann!\S+ JOIN/, 300)).toBe(false);
    bob.send(`WHOIS ann`);
    expect(await bob.expect(/ 330 /)).toMatch(/ ann ann :is logged in as$/);
    laptop.send(`PRIVMSG ${room} :from the laptop`);
    await bob.expect(/:ann!\S+ PRIVMSG \S+ :from the laptop$/);
    await phone.expect(/:ann!\S+ PRIVMSG \S+ :from the laptop$/);
    expect(await bob.sees(/from the laptop/, 200)).toBe(false);
    phone.send(`PRIVMSG ${room} :from the phone`);
    await laptop.expect(/from the phone$/);
    bob.send(`PRIVMSG ${room} :to both`);
    await phone.expect(/to both$/);
    await laptop.expect(/to both$/);
    laptop.send("MARKREAD #x timestamp=2026-05-06T07:08:09.000Z");
    expect(await phone.expect(/ MARKREAD /)).toMatch(/MARKREAD #x timestamp=2026-05-06T07:08:09\.000Z$/);
    // A device that chose a nick of its own before it logged in gives it up: someone else may take it.
    const tablet = await login(port(1), "tabletnick", "ann", "pw-ann");
    cluster.track(tablet);
    expect(await tablet.expect(new RegExp(` JOIN ${room}$`))).toMatch(/^:ann!/);
    const other = await register(port(0), "tabletnick");
    cluster.track(other);
    tablet.send("QUIT");
    laptop.send("QUIT :laptop off");
    await laptop.expect(/^ERROR/);
    expect(await bob.sees(/ QUIT /, 300)).toBe(false);
    phone.send("QUIT :phone off");
    expect(await bob.expect(/ QUIT /)).toMatch(/^:ann!\S+ QUIT :Quit: phone off$/);
  });
});

describe.skipIf(noRedis)("always-on across a node's death", () => {
  const leaseMs = 1_000;
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());
  const node = (id: string) =>
    startDaemon(["--redis", redis?.url ?? "", "--node-id", id, "--cluster-lease-ms", String(leaseMs), "--flood-rate", "0", "--always-on", "--scrypt-cost", "ln=10,r=8,p=1"]);

  test("SIGKILL of the node holding an always-on user's only device loses nothing: the other node replays what was said meanwhile, once, in order", async () => {
    const a = await node("aoA");
    const b = await node("aoB");
    const clients: RawClient[] = [];
    try {
      await account(a.port, "dan", "pw-dan");
      const dan = await login(a.port, "dan", "dan", "pw-dan");
      const eve = await register(b.port, "eve");
      clients.push(dan, eve);
      dan.send("JOIN #ops");
      await dan.expect(/ 366 /);
      eve.send("JOIN #ops");
      await eve.expect(/ 366 /);
      await dan.expect(/:eve!\S+ JOIN #ops/);
      eve.send("PRIVMSG #ops :seen before");
      await dan.expect(/seen before$/);
      // The node writes how far its always-on users have read once a second.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      a.handle.child.kill("SIGKILL");
      await a.handle.exited;
      eve.send("PRIVMSG #ops :one", "PRIVMSG #ops :two");
      // The lease runs out: dan leaves with the split, then the survivor brings it back on its channels.
      await eve.expect(/:dan!\S+ QUIT /, 10_000);
      await eve.expect(/:dan!\S+ JOIN #ops/, 10_000);
      eve.send("PRIVMSG #ops :three", "PRIVMSG dan :four in private");
      await eve.sees(/never/, 300);
      const back = await login(b.port, "dan", "dan", "pw-dan");
      clients.push(back);
      await back.expect(/:dan!\S+ JOIN #ops$/);
      const replayed: string[] = [];
      for (const text of ["one", "two", "three", "four in private"]) replayed.push(await back.expect(new RegExp(`:${text}$`)));
      expect(replayed.map((line) => line.replace(/^.*PRIVMSG /, ""))).toEqual(["#ops :one", "#ops :two", "#ops :three", "dan :four in private"]);
      expect(back.lines.filter((line) => / PRIVMSG /.test(line))).toHaveLength(4);
    } finally {
      for (const client of clients) client.close();
      await a.handle.stop();
      await b.handle.stop();
    }
  });
});
