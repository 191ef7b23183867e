import { afterEach, describe, expect, test, vi } from "vitest";
import { applyRemoteEvent } from "../src/cluster/remote-events.js";
import { parseListQuery } from "../src/commands/list.js";
import { Network } from "../src/state/network.js";
import { channelInfo, type ChannelInfo } from "../src/state/snapshot.js";
import { commandHarness, type TestConnection } from "./command-harness.js";

type Run = (connection: TestConnection, ...lines: string[]) => void;

/** Joins each connection to channel in order and drops what they were sent. */
function joinAll(run: Run, channel: string, ...connections: TestConnection[]): void {
  for (const connection of connections) run(connection, `JOIN ${channel}`);
  for (const connection of connections) connection.lines();
}

/** The channels a LIST names, in order. */
function listed(run: Run, connection: TestConnection, params = ""): string[] {
  run(connection, `LIST ${params}`.trim());
  return connection
    .lines()
    .filter((line) => / 322 /.test(line))
    .map((line) => line.split(" ")[3] ?? "");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("+s and +p", () => {
  test("a secret channel: hidden from the LIST, NAMES, WHO, WHOIS and TOPIC of outsiders; NAMES marks it @", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#s", ann);
    h.run(ann, "TOPIC #s :hush", "MODE #s +s", "MODE #s");
    const modes = ann.lines();
    expect(modes).toContainEqual(expect.stringMatching(/^:ann!\S+ MODE #s \+s$/));
    expect(modes).toContain(":irc.test 324 ann #s +nst");
    expect(listed(h.run, ann)).toEqual(["#s"]);
    expect(listed(h.run, bob)).toEqual([]);
    expect(listed(h.run, bob, "#s")).toEqual([]);
    h.run(bob, "NAMES #s");
    expect(bob.lines()).toEqual([":irc.test 366 bob #s :End of /NAMES list"]);
    h.run(bob, "WHO #s");
    expect(bob.lines()).toEqual([":irc.test 315 bob #s :End of /WHO list"]);
    h.run(bob, "WHOIS ann");
    expect(bob.lines().some((line) => / 319 /.test(line))).toBe(false);
    h.run(bob, "TOPIC #s");
    expect(bob.lines()).toEqual([":irc.test 442 bob #s :You're not on that channel"]);
    h.run(ann, "NAMES #s");
    expect(ann.lines()).toEqual([":irc.test 353 ann @ #s :@ann", ":irc.test 366 ann #s :End of /NAMES list"]);
    h.run(bob, "JOIN #s");
    expect(bob.lines()).toContain(":irc.test 353 bob @ #s :@ann bob");
    expect(listed(h.run, bob)).toEqual(["#s"]);
    h.run(ann, "MODE #s -s");
    ann.lines();
    const cat = await h.user("cat");
    expect(listed(h.run, cat)).toEqual(["#s"]);
  });

  test("a private channel: NAMES marks it *, outsiders' WHOIS leaves it out and their LIST shows no topic", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#p", ann);
    h.run(ann, "TOPIC #p :quiet", "MODE #p +p");
    ann.lines();
    h.run(bob, "NAMES #p", "LIST #p", "WHOIS ann");
    const lines = bob.lines();
    expect(lines).toContain(":irc.test 353 bob * #p :@ann");
    expect(lines).toContain(":irc.test 322 bob #p 1 :");
    expect(lines.some((line) => / 319 /.test(line))).toBe(false);
    h.run(ann, "LIST #p");
    expect(ann.lines()).toContain(":irc.test 322 ann #p 1 :quiet");
  });
});

describe("+e and +I", () => {
  test("a ban exception lets a banned user in and speak; the list is 348/349, for operators; -e bans again", async () => {
    const h = commandHarness();
    const op = await h.user("op");
    const bob = await h.user("bob");
    joinAll(h.run, "#e", op);
    h.run(op, "MODE #e +b bo*", "MODE #e +e *!*bob@*");
    expect(op.lines()).toEqual([expect.stringMatching(/ MODE #e \+b bo\*!\*@\*$/), expect.stringMatching(/ MODE #e \+e \*!\*bob@\*$/)]);
    h.run(bob, "JOIN #e");
    expect(bob.lines()[0]).toMatch(/^:bob!\S+ JOIN #e$/);
    h.run(bob, "PRIVMSG #e :excepted", "MODE #e +e");
    expect(op.lines()).toEqual([expect.stringMatching(/^:bob!\S+ JOIN #e$/), expect.stringMatching(/PRIVMSG #e :excepted$/)]);
    expect(bob.lines()).toEqual([":irc.test 482 bob #e :You're not channel operator"]);
    h.run(op, "MODE #e +e");
    expect(op.lines()).toEqual([expect.stringMatching(/^:irc\.test 348 op #e \*!\*bob@\* op!\S+ \d+$/), ":irc.test 349 op #e :End of Channel Exception List"]);
    h.run(op, "MODE #e -e *!*bob@*");
    h.run(bob, "PRIVMSG #e :still?", "PART #e", "JOIN #e");
    expect(bob.lines().slice(-2)).toEqual([expect.stringMatching(/^:bob!\S+ PART #e$/), ":irc.test 474 bob #e :Cannot join channel (+b)"]);
    expect(h.network.findChannel("#e")?.exceptions).toEqual([]);
  });

  test("an invite exception lets a matching user into a +i channel; the list is 346/347; -I closes it again", async () => {
    const h = commandHarness();
    const op = await h.user("op");
    const bob = await h.user("bob");
    const cat = await h.user("cat");
    joinAll(h.run, "#i", op);
    h.run(op, "MODE #i +iI bob");
    expect(op.lines()).toEqual([expect.stringMatching(/ MODE #i \+iI bob!\*@\*$/)]);
    h.run(cat, "JOIN #i");
    expect(cat.lines()).toEqual([":irc.test 473 cat #i :Cannot join channel (+i)"]);
    h.run(bob, "JOIN #i");
    expect(bob.lines()[0]).toMatch(/^:bob!\S+ JOIN #i$/);
    h.run(op, "MODE #i I");
    expect(op.lines().slice(-2)).toEqual([expect.stringMatching(/^:irc\.test 346 op #i bob!\*@\* op!\S+ \d+$/), ":irc.test 347 op #i :End of Channel Invite Exception List"]);
    h.run(bob, "PART #i");
    h.run(op, "MODE #i -I bob!*@*");
    h.run(bob, "JOIN #i");
    expect(bob.lines().at(-1)).toBe(":irc.test 473 bob #i :Cannot join channel (+i)");
  });

  test("each list keeps at most MAXLIST entries", async () => {
    const h = commandHarness();
    const op = await h.user("op");
    joinAll(h.run, "#full", op);
    for (let i = 0; i < 101; i++) h.run(op, `MODE #full +e m${i}`);
    expect(h.network.findChannel("#full")?.exceptions).toHaveLength(100);
    expect(h.network.findChannel("#full")?.bans).toHaveLength(0);
  });
});

describe("+k and +l arguments", () => {
  test.each([
    ["+k :two words", ":irc.test 696 op #v k * :Invalid mode parameter"],
    ["+k :", ":irc.test 696 op #v k * :Invalid mode parameter"],
    ["+k", ":irc.test 461 op MODE :Not enough parameters"],
    ["+l 0", ":irc.test 696 op #v l 0 :Invalid mode parameter"],
    ["+l -1", ":irc.test 696 op #v l -1 :Invalid mode parameter"],
    ["+l abc", ":irc.test 696 op #v l abc :Invalid mode parameter"],
    ["+l :", ":irc.test 696 op #v l * :Invalid mode parameter"],
    ["+l", ":irc.test 461 op MODE :Not enough parameters"],
  ])("MODE #v %s", async (modes, reply) => {
    const h = commandHarness();
    const op = await h.user("op");
    joinAll(h.run, "#v", op);
    h.run(op, `MODE #v ${modes}`);
    expect(op.lines()).toEqual([reply]);
    expect(h.network.findChannel("#v")?.modeString(true)).toEqual(["+nt"]);
  });

  test("a valid key and limit still apply", async () => {
    const h = commandHarness();
    const op = await h.user("op");
    joinAll(h.run, "#v", op);
    h.run(op, "MODE #v +kl sesame 07");
    expect(op.lines()).toEqual([expect.stringMatching(/ MODE #v \+kl sesame 7$/)]);
  });
});

describe("ISUPPORT and 004", () => {
  test("advertise the lists, the exceptions, ELIST and the mode letters", () => {
    const h = commandHarness();
    const ann = h.connect();
    h.run(ann, "NICK ann", "USER ann 0 * :Ann");
    const lines = ann.lines();
    expect(lines).toContain(":irc.test 004 ann irc.test test-1 Biow Ibeiklmnopstv Ibeklov");
    const tokens = lines.filter((line) => / 005 /.test(line)).flatMap((line) => line.split(" "));
    expect(tokens).toEqual(expect.arrayContaining(["CHANMODES=beI,k,l,imnpst", "EXCEPTS", "INVEX", "ELIST=CMNTU", "MAXLIST=b:100,e:100,I:100"]));
  });
});

describe("LIST filters (ELIST=CMNTU)", () => {
  test("masks, negated masks and user counts", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    const cat = await h.user("cat");
    joinAll(h.run, "#chan1", ann);
    joinAll(h.run, "#chan2", ann, bob);
    joinAll(h.run, "#other", bob);
    expect(listed(h.run, cat, "*an1")).toEqual(["#chan1"]);
    expect(listed(h.run, cat, "#C*N2")).toEqual(["#chan2"]);
    expect(listed(h.run, cat, "#ch*")).toEqual(["#chan1", "#chan2"]);
    expect(listed(h.run, cat, "!#ch*")).toEqual(["#other"]);
    expect(listed(h.run, cat, "!*an1")).toEqual(["#chan2", "#other"]);
    expect(listed(h.run, cat, ">1")).toEqual(["#chan2"]);
    expect(listed(h.run, cat, "<2")).toEqual(["#chan1", "#other"]);
    expect(listed(h.run, cat, "<1")).toEqual([]);
    expect(listed(h.run, cat, "#ch* <2")).toEqual(["#chan1"]);
    expect(listed(h.run, cat, "#chan1,#chan2,#chan1,#nowhere")).toEqual(["#chan1", "#chan2"]);
    expect(listed(h.run, cat, "#chan1 irc.test")).toEqual(["#chan1"]);
  });

  test("C and T: minutes since the channel was created and since its topic was set", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2030-01-01T00:00:00Z").getTime();
    vi.setSystemTime(start);
    const h = commandHarness();
    const ann = await h.user("ann");
    joinAll(h.run, "#old", ann);
    h.run(ann, "TOPIC #old :first");
    vi.setSystemTime(start + 2 * 60_000 + 5_000);
    joinAll(h.run, "#new", ann);
    h.run(ann, "TOPIC #new :second");
    joinAll(h.run, "#bare", ann);
    vi.setSystemTime(start + 3 * 60_000 + 10_000);
    expect(listed(h.run, ann, "C>2")).toEqual(["#old"]);
    expect(listed(h.run, ann, "C<2")).toEqual(["#new", "#bare"]);
    expect(listed(h.run, ann, "C<0")).toEqual([]);
    expect(listed(h.run, ann, "C>0,C<10")).toEqual(["#old", "#new", "#bare"]);
    expect(listed(h.run, ann, "T>2")).toEqual(["#old"]);
    expect(listed(h.run, ann, "T<2")).toEqual(["#new"]);
    expect(listed(h.run, ann, "T<10")).toEqual(["#old", "#new"]);
  });

  test("a query of exact names looks them up; a mask or none searches", () => {
    expect(parseListQuery(["#a,#b", ">2"]).names).toEqual(["#a", "#b"]);
    expect(parseListQuery(["#a,#b*"]).names).toBeUndefined();
    expect(parseListQuery([">2,!#x"]).names).toBeUndefined();
  });
});

describe("NAMES", () => {
  test("several channels: their 353s, then one 366 naming them all (RFC 2812, Modern)", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    joinAll(h.run, "#a", ann);
    joinAll(h.run, "#b", ann);
    h.run(ann, "NAMES #a,#b,#c");
    expect(ann.lines()).toEqual([
      ":irc.test 353 ann = #a :@ann",
      ":irc.test 353 ann = #b :@ann",
      ":irc.test 366 ann #a,#b,#c :End of /NAMES list",
    ]);
  });

  test("userhost-in-names: acknowledged beside another cap; names as nick!user@host, each 353 within 512 bytes", async () => {
    const h = commandHarness();
    const ann = h.connect();
    h.run(ann, "CAP LS 302", "CAP REQ :multi-prefix userhost-in-names", "CAP END", "NICK ann", "USER ann 0 * :Ann");
    expect(ann.lines()).toContain(":irc.test CAP * ACK :multi-prefix userhost-in-names");
    const others: TestConnection[] = [];
    for (let i = 0; i < 30; i++) others.push(await h.user(`user${i}withalongernick`));
    joinAll(h.run, "#u", ann, ...others);
    h.run(ann, "MODE #u +v ann", "NAMES #u");
    const names = ann.lines().filter((line) => / 353 /.test(line));
    expect(names.length).toBeGreaterThan(1);
    for (const line of names) expect(Buffer.byteLength(line) + 2).toBeLessThanOrEqual(512);
    expect(names[0]).toMatch(/^:irc\.test 353 ann = #u :@\+ann!~ann@127\.0\.0\.1 user0withalongernick!~\S+@127\.0\.0\.1 /);
    expect(names.join(" ").match(/!~/g)).toHaveLength(31);
  });
});

describe("the state other nodes share (ChannelInfo)", () => {
  /** A fresh network holding one channel made from info, the way a node hears of it. */
  function heardOf(info: ChannelInfo) {
    const network = new Network({ nodeId: "b", maxChannelsPerUser: 5 }, () => {});
    const n = "a";
    const user = { uid: "a/1", nick: "far", user: "far", host: "h", realname: "Far", invisible: false, oper: false, channels: {} };
    applyRemoteEvent(network, { t: "user", n, u: user });
    applyRemoteEvent(network, { t: "join", n, u: "a/1", f: 1, c: info, m: { p: "far!far@h", c: "JOIN", a: [info.name], g: {} } });
    return network.findChannel(info.name);
  }

  test("carries +s, +p, the e and I lists and the creation time", async () => {
    const h = commandHarness();
    const op = await h.user("op");
    joinAll(h.run, "#x", op);
    h.run(op, "MODE #x +spe bob", "MODE #x +I cat");
    const info = JSON.parse(JSON.stringify(channelInfo(h.network.findChannel("#x") ?? expect.fail("no #x")))) as ChannelInfo;
    expect(info.modes.split("").sort().join("")).toBe("npst");
    expect(info.excepts?.map((entry) => entry.mask)).toEqual(["bob!*@*"]);
    expect(info.invex?.map((entry) => entry.mask)).toEqual(["cat!*@*"]);
    const copy = heardOf({ ...info, created: 1_000 });
    expect(copy?.secret && copy.private).toBe(true);
    expect(copy?.createdAt).toBe(1_000);
    expect(copy?.exceptions.map((entry) => entry.mask)).toEqual(["bob!*@*"]);
    expect(copy?.inviteExceptions.map((entry) => entry.mask)).toEqual(["cat!*@*"]);
  });

  test("an older node's JSON (no s/p, no lists, no creation time) still reads", () => {
    const before = Math.floor(Date.now() / 1000);
    const copy = heardOf({ name: "#old", modes: "nt", bans: [{ mask: "x!*@*", setBy: "o", setAt: 1 }], invited: [] });
    expect(copy?.modeString(true)).toEqual(["+nt"]);
    expect(copy?.bans.map((entry) => entry.mask)).toEqual(["x!*@*"]);
    expect(copy?.exceptions).toEqual([]);
    expect(copy?.inviteExceptions).toEqual([]);
    expect(copy?.createdAt).toBeGreaterThanOrEqual(before);
  });
});
