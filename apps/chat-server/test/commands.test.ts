import { describe, expect, test } from "vitest";
import { applyRemoteEvent } from "../src/cluster/remote-events.js";
import { toWire } from "../src/cluster/events.js";
import { Outgoing, stamp } from "../src/outgoing.js";
import type { UserInfo } from "../src/state/snapshot.js";
import { commandHarness, FakeLink, settle, type TestConnection } from "./command-harness.js";

/** Joins each connection to channel in order and drops what they were sent (cluster mode: call settle() after, then read). */
function joinAll(run: (c: TestConnection, ...lines: string[]) => void, channel: string, ...connections: TestConnection[]): void {
  for (const connection of connections) run(connection, `JOIN ${channel}`);
  for (const connection of connections) connection.lines();
}

describe("command handlers against the context, no socket", () => {
  test("NICK: registration, 432, 433, a change seen by channel peers, WHOWAS", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    const stranger = h.connect();
    h.run(stranger, "NICK ann");
    expect(stranger.lines()).toEqual([":irc.test 433 * ann :Nickname is already in use"]);
    h.run(stranger, "NICK 9lives");
    expect(stranger.lines()).toEqual([":irc.test 432 * 9lives :Erroneous nickname"]);
    joinAll(h.run, "#n", ann, bob);
    h.run(ann, "NICK anna");
    expect(ann.lines()).toEqual([expect.stringMatching(/^:ann!~ann@127\.0\.0\.1 NICK anna$/)]);
    expect(bob.lines()).toEqual([expect.stringMatching(/^:ann!\S+ NICK anna$/)]);
    expect(h.network.findUser("ann")).toBeUndefined();
    expect(h.network.findUser("ANNA")?.nick).toBe("anna");
    expect(h.network.whowas.find("ann")[0]?.nick).toBe("ann");
    h.run(stranger, "NICK ann", "USER s 0 * :S");
    expect(stranger.lines()[0]).toMatch(/ 001 ann /);
  });

  test("JOIN: the creator is operator; +i, +k and +l refuse; an invite lets in; JOIN 0 leaves all", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    h.run(ann, "JOIN #j");
    expect(ann.lines()).toEqual([expect.stringMatching(/^:ann!\S+ JOIN #j$/), ":irc.test 353 ann = #j :@ann", ":irc.test 366 ann #j :End of /NAMES list"]);
    h.run(ann, "MODE #j +ik sesame");
    ann.lines();
    h.run(bob, "JOIN #j");
    expect(bob.lines()).toEqual([":irc.test 473 bob #j :Cannot join channel (+i)"]);
    h.run(ann, "MODE #j -i");
    h.run(bob, "JOIN #j wrong");
    expect(bob.lines()).toEqual([":irc.test 475 bob #j :Cannot join channel (+k)"]);
    h.run(ann, "MODE #j +il 1");
    h.run(ann, "INVITE bob #j");
    expect(ann.lines().at(-1)).toBe(":irc.test 341 ann bob #j");
    expect(bob.lines()).toEqual([expect.stringMatching(/^:ann!\S+ INVITE bob #j$/)]);
    h.run(bob, "JOIN #j");
    expect(bob.lines()[0]).toMatch(/^:bob!\S+ JOIN #j$/);
    expect(ann.lines()).toEqual([expect.stringMatching(/^:bob!\S+ JOIN #j$/)]);
    expect(h.network.findChannel("#j")?.members.size).toBe(2);
    h.run(bob, "JOIN #x,#y", "JOIN 0");
    bob.lines();
    expect([...(h.network.findUser("bob")?.channels ?? [])]).toEqual([]);
    expect(h.network.findChannel("#x")).toBeUndefined();
    expect(ann.lines()).toEqual([expect.stringMatching(/^:bob!\S+ PART #j :Left all channels$/)]);
    h.run(bob, "JOIN bad", "JOIN #1,#2,#3,#4,#5,#6");
    expect(bob.lines().filter((line) => / 40[35] /.test(line))).toEqual([":irc.test 403 bob bad :No such channel", ":irc.test 405 bob #6 :You have joined too many channels"]);
  });

  test("INVITE alone lists the channels one is invited to (336/337); INVITE with one parameter is 461", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    h.run(ann, "JOIN #one", "JOIN #two", "INVITE bob #one", "INVITE bob #two");
    bob.lines();
    h.run(bob, "INVITE", "INVITE ann");
    expect(bob.lines()).toEqual([":irc.test 336 bob #one", ":irc.test 336 bob #two", ":irc.test 337 bob :End of /INVITE list", ":irc.test 461 bob INVITE :Not enough parameters"]);
  });

  test("PART: members and the one leaving see it; an emptied channel is gone; 403 and 442", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#p", ann, bob);
    h.run(bob, "PART #p :bye now");
    const part = expect.stringMatching(/^:bob!\S+ PART #p :bye now$/);
    expect(bob.lines()).toEqual([part]);
    expect(ann.lines()).toEqual([part]);
    h.run(bob, "PART #p", "PART #nowhere");
    expect(bob.lines()).toEqual([":irc.test 442 bob #p :You're not on that channel", ":irc.test 403 bob #nowhere :No such channel"]);
    h.run(ann, "PART #p");
    expect(h.network.findChannel("#p")).toBeUndefined();
  });

  test("KICK: only operators; two users in one command; 441 for a non-member", async () => {
    const h = commandHarness();
    const [ann, bob, cat, dan] = await Promise.all(["ann", "bob", "cat", "dan"].map((nick) => h.user(nick)));
    if (!ann || !bob || !cat || !dan) throw new Error("users");
    joinAll(h.run, "#k", ann, bob, cat);
    h.run(bob, "KICK #k cat");
    expect(bob.lines()).toEqual([":irc.test 482 bob #k :You're not channel operator"]);
    h.run(ann, "KICK #k bob,cat,dan :out");
    const lines = ann.lines();
    expect(lines).toEqual([
      expect.stringMatching(/^:ann!\S+ KICK #k bob :out$/),
      expect.stringMatching(/^:ann!\S+ KICK #k cat :out$/),
      ":irc.test 441 ann dan #k :They aren't on that channel",
    ]);
    expect(cat.lines()).toEqual([expect.stringMatching(/ KICK #k bob :out$/), expect.stringMatching(/ KICK #k cat :out$/)]);
    expect([...(h.network.findChannel("#k")?.members.keys() ?? [])].map((user) => user.nick)).toEqual(["ann"]);
  });

  test("MODE: operator changes in one line, bans, list queries, unknown modes and non-operators", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    const eve = await h.user("eve");
    joinAll(h.run, "#m", ann, bob);
    h.run(ann, "MODE #m +ovkl bob bob key 5");
    const mode = expect.stringMatching(/^:ann!\S+ MODE #m \+ovkl bob bob key 5$/);
    expect(ann.lines()).toEqual([mode]);
    expect(bob.lines()).toEqual([mode]);
    expect(h.network.findChannel("#m")?.modeString(true)).toEqual(["+ntkl", "key", "5"]);
    h.run(ann, "MODE #m +b eve", "MODE #m b", "MODE #m +z", "MODE #m +o nobody");
    expect(ann.lines()).toEqual([
      expect.stringMatching(/ MODE #m \+b eve!\*@\*$/),
      expect.stringMatching(/^:irc\.test 367 ann #m eve!\*@\* ann!\S+ \d+$/),
      ":irc.test 368 ann #m :End of channel ban list",
      ":irc.test 472 ann z :is unknown mode char to me",
      ":irc.test 401 ann nobody :No such nick/channel",
    ]);
    h.run(ann, "MODE #m -kl *");
    ann.lines();
    h.run(eve, "JOIN #m", "MODE #m -t");
    expect(eve.lines()).toEqual([":irc.test 474 eve #m :Cannot join channel (+b)", ":irc.test 482 eve #m :You're not channel operator"]);
    h.run(bob, "MODE #m -o bob");
    expect(h.network.findChannel("#m")?.isOp(bob.user)).toBe(false);
    expect(ann.lines()).toEqual([expect.stringMatching(/^:bob!\S+ MODE #m -o bob$/)]);
    h.run(ann, "MODE ann +i", "MODE ann +x", "MODE bob +i");
    expect(ann.lines()).toEqual([expect.stringMatching(/^:ann!\S+ MODE ann \+i$/), ":irc.test 501 ann :Unknown MODE flag", ":irc.test 502 ann :Can't change mode for other users"]);
    expect(ann.user.invisible).toBe(true);
  });

  test("TOPIC: +t keeps it to operators; members see a change; a query gets 332 and 333", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#t", ann, bob);
    h.run(bob, "TOPIC #t :mine");
    expect(bob.lines()).toEqual([":irc.test 482 bob #t :You're not channel operator"]);
    h.run(ann, "TOPIC #t :release friday");
    expect(bob.lines()).toEqual([expect.stringMatching(/^:ann!\S+ TOPIC #t :release friday$/)]);
    h.run(bob, "TOPIC #t");
    expect(bob.lines()).toEqual([":irc.test 332 bob #t :release friday", expect.stringMatching(/^:irc\.test 333 bob #t ann!\S+ \d+$/)]);
    expect(h.network.findChannel("#t")?.topic?.text).toBe("release friday");
  });

  test("QUIT: peers see one QUIT, the nick is free, an emptied channel goes, WHOWAS remembers", async () => {
    const h = commandHarness();
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#q", ann, bob);
    h.run(bob, "JOIN #alone");
    h.run(bob, "QUIT :bye");
    expect(h.closed.map(({ reason }) => reason)).toEqual(["Quit: bye"]);
    expect(ann.lines()).toEqual([expect.stringMatching(/^:bob!\S+ QUIT :Quit: bye$/)]);
    expect(h.network.nickHolder("bob")).toBeUndefined();
    expect(h.network.findChannel("#alone")).toBeUndefined();
    expect(h.network.findChannel("#q")?.members.size).toBe(1);
    expect(h.network.whowas.find("bob")).toHaveLength(1);
  });

  test("PRIVMSG: channel members but the sender, echo-message, +n, +m, @#chan, users, away, history", async () => {
    const h = commandHarness();
    const ann = await h.user("ann", ["echo-message"]);
    const bob = await h.user("bob");
    const cat = await h.user("cat");
    joinAll(h.run, "#c", ann, bob);
    h.run(ann, "PRIVMSG #c :hello");
    const hello = expect.stringMatching(/^:ann!\S+ PRIVMSG #c :hello$/);
    expect(bob.lines()).toEqual([hello]);
    expect(ann.lines()).toEqual([hello]);
    h.run(cat, "PRIVMSG #c :from outside");
    expect(cat.lines()).toEqual([":irc.test 404 cat #c :Cannot send to channel"]);
    h.run(ann, "MODE #c +m", "PRIVMSG @#c :ops only");
    ann.lines();
    expect(bob.lines()).toEqual([expect.stringMatching(/ MODE #c \+m$/)]);
    h.run(bob, "PRIVMSG #c :muted", "AWAY :lunch");
    expect(bob.lines()).toEqual([":irc.test 404 bob #c :Cannot send to channel", ":irc.test 306 bob :You have been marked as being away"]);
    h.run(cat, "PRIVMSG bob :psst", "PRIVMSG nobody :x");
    expect(cat.lines()).toEqual([":irc.test 301 cat bob :lunch", ":irc.test 401 cat nobody :No such nick/channel"]);
    expect(bob.lines()).toEqual([expect.stringMatching(/^:cat!\S+ PRIVMSG bob :psst$/)]);
    expect(h.stored.map(({ target, text }) => `${target} ${text}`)).toEqual(["#c hello", "bob psst"]);
  });
});

describe("command handlers in cluster mode, through a fake link", () => {
  test("the network keeps its counts of invisible users, operators and nodes as users come, change and go", async () => {
    const h = commandHarness({ link: new FakeLink(), nodeId: "n1" });
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    h.run(ann, "MODE ann +i", "OPER admin secret");
    h.run(bob, "MODE bob +i", "MODE bob -i", "MODE bob +i");
    const remote = (uid: string, nick: string, modes: { invisible: boolean; oper: boolean }): UserInfo => ({ uid, nick, user: "~x", host: "h", realname: "X", channels: {}, ...modes });
    applyRemoteEvent(h.network, { t: "user", n: "n2", u: remote("n2/1", "zed", { invisible: true, oper: true }) });
    applyRemoteEvent(h.network, { t: "user", n: "n3", u: remote("n3/1", "yan", { invisible: false, oper: false }) });
    expect([h.network.invisibleUsers, h.network.operators, [...h.network.nodes()].sort()]).toEqual([3, 2, ["n2", "n3"]]);
    applyRemoteEvent(h.network, { t: "user", n: "n2", u: remote("n2/1", "zed", { invisible: false, oper: true }) });
    h.run(ann, "MODE ann -o");
    expect([h.network.invisibleUsers, h.network.operators]).toEqual([2, 1]);
    h.run(ann, "LUSERS");
    expect(ann.lines().slice(-7, -5)).toEqual([":irc.test 251 ann :There are 2 users and 2 invisible on 3 servers", ":irc.test 252 ann 1 :operator(s) online"]);
    h.run(bob, "QUIT");
    h.network.remote.forgetNode("n2", "split");
    expect([h.network.invisibleUsers, h.network.operators, [...h.network.nodes()]]).toEqual([1, 0, ["n3"]]);
  });

  test("NICK waits for the network-wide claim: the connection's next command waits too; a nick held elsewhere is refused", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann");
    link.takenNicks.add("bob");
    h.run(ann, "NICK bob");
    await settle();
    expect(ann.lines()).toEqual([":irc.test 433 ann bob :Nickname is already in use"]);
    link.holdClaims = true;
    h.run(ann, "NICK anna", "WHOIS anna");
    expect(ann.held).toBe(true);
    expect(ann.lines()).toEqual([]);
    link.pending.shift()?.answer(true);
    await settle();
    const lines = ann.lines();
    expect(lines[0]).toMatch(/^:ann!\S+ NICK anna$/);
    expect(lines[1]).toMatch(/ 311 anna anna /);
    expect(link.published("nick")).toHaveLength(1);
  });

  test("JOIN of a channel another node created takes its modes from the claim; a new one makes its creator operator", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann");
    link.otherChannels.set("#elsewhere", { name: "#Elsewhere", modes: "int", bans: [], invited: [] });
    h.run(ann, "JOIN #elsewhere");
    await settle();
    expect(ann.lines()).toEqual([":irc.test 473 ann #elsewhere :Cannot join channel (+i)"]);
    expect(h.network.findChannel("#elsewhere")).toBeUndefined();
    h.run(ann, "JOIN #fresh");
    await settle();
    expect(ann.lines()[1]).toBe(":irc.test 353 ann = #fresh :@ann");
    const [join] = link.published("join");
    expect(join?.kind === "join" && join.channel.name).toBe("#fresh");
  });

  test("each change made here reaches the link once: NICK, JOIN, PRIVMSG, TOPIC, MODE, KICK, PART, QUIT", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link });
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    link.changes.length = 0;
    joinAll(h.run, "#l", ann, bob);
    await settle();
    h.run(ann, "PRIVMSG #l :hi", "PRIVMSG @#l :ops", "TOPIC #l :t", "MODE #l +v bob", "KICK #l bob :bye");
    h.run(bob, "JOIN #l2", "PART #l2", "NICK bobby");
    await settle();
    h.run(bob, "QUIT");
    expect(link.published().map((change) => change.kind)).toEqual(["join", "join", "message", "message", "channel", "channel", "part", "join", "part", "nick", "quit"]);
    const [all, ops] = link.published("message");
    expect(all?.kind === "message" && all.audience).toBe("all");
    expect(ops?.kind === "message" && ops.audience).toBe("ops");
    const kick = link.published("part")[0];
    expect(kick?.kind === "part" && kick.message.command).toBe("KICK");
  });

  test("what other nodes did reaches local users: a remote user joins, speaks, is in NAMES, kicks a local user, quits", async () => {
    const link = new FakeLink();
    const h = commandHarness({ link, nodeId: "n1" });
    const ann = await h.user("ann");
    const bob = await h.user("bob");
    joinAll(h.run, "#r", ann, bob);
    await settle();
    ann.lines();
    bob.lines();
    const info: UserInfo = { uid: "n2/7", nick: "zed", user: "~zed", host: "10.0.0.2", realname: "Zed", invisible: false, oper: false, channels: {} };
    const n = "n2";
    applyRemoteEvent(h.network, { t: "user", n, u: info });
    const mask = "zed!~zed@10.0.0.2";
    const line = (command: string, params: string[]) => toWire(new Outgoing(mask, command, params, stamp()));
    applyRemoteEvent(h.network, { t: "join", n, u: info.uid, f: 1, c: { name: "#r", modes: "nt", bans: [], invited: [] }, m: line("JOIN", ["#r"]) });
    expect(ann.lines()).toEqual([`:${mask} JOIN #r`]);
    h.run(ann, "NAMES #r");
    expect(ann.lines()[0]).toBe(":irc.test 353 ann = #r :@ann bob @zed");
    applyRemoteEvent(h.network, { t: "msg", n, c: "#r", only: "all", m: line("PRIVMSG", ["#r", "from afar"]) });
    expect(bob.lines()).toEqual([`:${mask} JOIN #r`, `:${mask} PRIVMSG #r :from afar`]);
    h.run(ann, "PRIVMSG zed :to you there");
    const [direct] = link.published("message");
    expect(direct?.kind === "message" && "home" in direct.target && direct.target.home).toBe("n2");
    applyRemoteEvent(h.network, { t: "part", n, u: bob.user.uid, c: "#r", m: line("KICK", ["#r", "bob", "go"]) });
    expect(bob.lines()).toEqual([`:${mask} KICK #r bob :go`]);
    expect(h.network.findChannel("#r")?.members.has(bob.user)).toBe(false);
    applyRemoteEvent(h.network, { t: "quit", n, u: info.uid, m: line("QUIT", ["gone"]) });
    expect(ann.lines()).toEqual([`:${mask} PRIVMSG #r :from afar`, `:${mask} KICK #r bob :go`, `:${mask} QUIT :gone`]);
    expect(h.network.findUser("zed")).toBeUndefined();
    // The link was told of every remote change too, but publishes none of them.
    expect(link.changes.filter((change) => change.remote === "n2").map((change) => change.kind)).toEqual(["register", "join", "message", "part", "quit"]);
  });
});
