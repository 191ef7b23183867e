import { afterEach, describe, expect, test } from "vitest";
import { noRedis, startNode, useCluster } from "./cluster-fixture.js";
import { commandHarness } from "./command-harness.js";
import { startDaemon } from "./daemon-process.js";
import { joinAll, useServer } from "./fixture.js";
import { register, type RawClient } from "./raw-client.js";

const server = useServer({ opers: { root: "hunter2" } });
const cluster = useCluster(2);

/** Clients registered under a nick chosen before they connect, closed after each test. */
const opened: RawClient[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.close();
});
let n = 0;
const nick = (prefix: string): string => `${prefix}${++n}`;

async function registerAs(port: number, name: string, caps: string[] = []): Promise<RawClient> {
  const client = await register(port, name, caps);
  opened.push(client);
  return client;
}

/** Marks client's lines now; the function returned waits for the answer to a PING and gives the lines since, in order. */
function mark(client: RawClient): () => Promise<string[]> {
  const from = client.lines.length;
  return async () => {
    const token = `sync${++n}`;
    client.send(`PING :${token}`);
    await client.expect(new RegExp(`PONG \\S+ :?${token}$`));
    return client.lines.slice(from).filter((line) => !/ PONG /.test(line));
  };
}

/** What client got while fn ran (and fn's effects reached it). */
async function linesDuring(client: RawClient, fn: () => Promise<void>): Promise<string[]> {
  const since = mark(client);
  await fn();
  return since();
}

describe("MONITOR, in-process: replies, C, L, S and the limit", () => {
  test("+ answers 730 with masks and 731, each target once; L lists; - and C say nothing; S tells the status", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    await h.user("bob");
    h.run(ann, "MONITOR + bob,Cat,dan,BOB,*!x@host,9lives");
    expect(ann.lines()).toEqual([":irc.test 730 ann :bob!~bob@127.0.0.1", ":irc.test 731 ann :Cat,dan"]);
    h.run(ann, "MONITOR L");
    expect(ann.lines()).toEqual([":irc.test 732 ann :bob,Cat,dan", ":irc.test 733 ann :End of MONITOR list"]);
    h.run(ann, "MONITOR - cat,nobody");
    expect(ann.lines()).toEqual([]);
    h.run(ann, "monitor s");
    expect(ann.lines()).toEqual([":irc.test 730 ann :bob!~bob@127.0.0.1", ":irc.test 731 ann :dan"]);
    h.run(ann, "MONITOR C", "MONITOR l");
    expect(ann.lines()).toEqual([":irc.test 733 ann :End of MONITOR list"]);
    h.run(ann, "MONITOR +", "MONITOR", "MONITOR - ,");
    expect(ann.lines()).toEqual([
      ":irc.test 461 ann MONITOR :Not enough parameters",
      ":irc.test 461 ann MONITOR :Not enough parameters",
      ":irc.test 461 ann MONITOR :Not enough parameters",
    ]);
  });

  test("the list holds 100 nicks: 734 names those refused, the others are added; long lists are split under 512 bytes", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const hundred = Array.from({ length: 100 }, (_, i) => `watched${i}`);
    h.run(ann, `MONITOR + ${hundred.slice(0, 50).join(",")}`, `MONITOR + ${hundred.slice(50).join(",")}`);
    const offline = ann.lines();
    expect(offline.every((line) => line.startsWith(":irc.test 731 ann :"))).toBe(true);
    expect(offline.flatMap((line) => line.split(" :")[1]?.split(",") ?? [])).toEqual(hundred);
    h.run(ann, "MONITOR + watched7,extra1,extra2");
    expect(ann.lines()).toEqual([":irc.test 731 ann :watched7", ":irc.test 734 ann 100 extra1,extra2 :Monitor list is full."]);
    h.run(ann, "MONITOR - watched0,watched1", "MONITOR + new1,new2,new3,new4");
    expect(ann.lines()).toEqual([":irc.test 731 ann :new1,new2", ":irc.test 734 ann 100 new3,new4 :Monitor list is full."]);
    h.run(ann, "MONITOR L");
    const listed = ann.lines();
    expect(listed.length).toBeGreaterThan(2);
    expect(listed.every((line) => Buffer.byteLength(line) + 2 <= 512)).toBe(true);
    expect(listed.at(-1)).toBe(":irc.test 733 ann :End of MONITOR list");
    expect(listed.slice(0, -1).flatMap((line) => line.split(" :")[1]?.split(",") ?? [])).toHaveLength(100);
  });

  test("a connection that closes is forgotten: its list is gone and it hears nothing more", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    h.run(ann, "MONITOR + bob");
    ann.lines();
    h.run(ann, "QUIT");
    expect(h.context.monitors.list(ann)).toEqual([]);
    h.run(bob, "QUIT");
    expect(ann.lines()).toEqual([]);
  });
});

describe("MONITOR on one server", () => {
  test("005 says MONITOR=100", async () => {
    const watcher = await server.user("w");
    expect(watcher.lines.some((line) => / 005 .* MONITOR=100 /.test(line))).toBe(true);
  });

  test("a monitored nick: 730 when it registers, 731 and 730 on renames (none for a change of case), 731 on QUIT and on KILL", async () => {
    const watcher = await server.user("w");
    const [first, second] = [nick("mon"), nick("mon")];
    watcher.send(`MONITOR + ${first},${second}`);
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.test 731 ${watcher.nick} :${first},${second}`);
    const target = await registerAs(server.state.port, first);
    expect(await watcher.expect(/ 730 /)).toBe(`:irc.test 730 ${watcher.nick} :${first}!~${first}@127.0.0.1`);
    const upper = first.toUpperCase();
    expect(await linesDuring(watcher, async () => {
      target.send(`NICK ${upper}`);
      await target.expect(/ NICK /);
    })).toEqual([]);
    expect(await linesDuring(watcher, async () => {
      target.send(`NICK ${second}`);
      await target.expect(new RegExp(` NICK :?${second}$`));
    })).toEqual([`:irc.test 731 ${watcher.nick} :${upper}`, `:irc.test 730 ${watcher.nick} :${second}!~${first}@127.0.0.1`]);
    target.send("QUIT :bye");
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.test 731 ${watcher.nick} :${second}`);

    const again = await registerAs(server.state.port, first);
    await watcher.expect(new RegExp(` 730 \\S+ :${first}!`));
    const oper = await server.user("op");
    oper.send("OPER root hunter2", `KILL ${first} :enough`);
    await again.done;
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.test 731 ${watcher.nick} :${first}`);
  });

  test("extended-monitor: AWAY for a monitored nick without a shared channel, only with away-notify too, once with a shared channel", async () => {
    const both = await server.user("w", ["extended-monitor", "away-notify"]);
    const awayOnly = await server.user("w", ["away-notify"]);
    const extendedOnly = await server.user("w", ["extended-monitor"]);
    const name = nick("mon");
    const target = Object.assign(await registerAs(server.state.port, name), { nick: name });
    for (const watcher of [both, awayOnly, extendedOnly]) {
      watcher.send(`MONITOR + ${name}`);
      await watcher.expect(/ 730 /);
    }
    const others = [awayOnly, extendedOnly].map(mark);
    const away = async (text?: string): Promise<void> => {
      target.send(text === undefined ? "AWAY" : `AWAY :${text}`);
      await target.expect(/ 30[56] /);
    };
    expect(await linesDuring(both, () => away("afk"))).toEqual([`:${name}!~${name}@127.0.0.1 AWAY :afk`]);
    expect(await linesDuring(both, () => away())).toEqual([`:${name}!~${name}@127.0.0.1 AWAY`]);
    for (const since of others) expect(await since()).toEqual([]);
    await joinAll(server.channel(), both, target);
    expect(await linesDuring(both, () => away("again"))).toEqual([`:${name}!~${name}@127.0.0.1 AWAY :again`]);
  });
});

describe.skipIf(noRedis)("MONITOR in a cluster of two nodes", () => {
  const port = (at: number): number => cluster.state.nodes[at]?.port ?? 0;

  test("a user on node 0 monitors a nick that registers, renames, goes away and quits on node 1", async () => {
    const watcher = await cluster.user(0, "w", ["extended-monitor", "away-notify"]);
    const [first, second] = [nick("mon"), nick("mon")];
    watcher.send(`MONITOR + ${first},${second}`);
    await watcher.expect(/ 731 /);
    const target = await registerAs(port(1), first);
    expect(await watcher.expect(/ 730 /)).toMatch(new RegExp(`^:irc\\.node0 730 ${watcher.nick} :${first}!~${first}@\\S+$`));
    target.send("AWAY :on node 1");
    expect(await watcher.expect(/ AWAY /)).toMatch(new RegExp(`^:${first}!\\S+ AWAY :on node 1$`));
    target.send(`NICK ${second}`);
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.node0 731 ${watcher.nick} :${first}`);
    expect(await watcher.expect(/ 730 /)).toMatch(new RegExp(` 730 ${watcher.nick} :${second}!~${first}@\\S+$`));
    watcher.send("MONITOR S");
    expect(await watcher.expect(/ 730 /)).toMatch(new RegExp(` 730 ${watcher.nick} :${second}!`));
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.node0 731 ${watcher.nick} :${first}`);
    target.send("QUIT :done");
    expect(await watcher.expect(/ 731 /)).toBe(`:irc.node0 731 ${watcher.nick} :${second}`);
  });

  test("the node a monitored user is on is lost (SIGKILL): 731 on the other once its lease runs out", async () => {
    const url = cluster.state.redis?.url ?? "";
    // The CLI's nodes use the default key prefix: this test's node in the process does too.
    const here = await startNode(url, "monHere", "netlab");
    const lost = await startDaemon(["--redis", url, "--node-id", "monLost", "--cluster-lease-ms", "1000", "--flood-rate", "0"]);
    try {
      const watcher = await registerAs(here.port, nick("w"));
      const name = nick("mon");
      await registerAs(lost.port, name);
      await expect.poll(() => here.server.findClient(name)?.nick).toBe(name);
      watcher.send(`MONITOR + ${name}`);
      await watcher.expect(new RegExp(` 730 \\S+ :${name}!`));
      lost.handle.child.kill("SIGKILL");
      expect(await watcher.expect(/ 731 /, 10_000)).toMatch(new RegExp(` 731 \\S+ :${name}$`));
    } finally {
      await lost.handle.stop();
      await here.stop();
    }
  });
});
