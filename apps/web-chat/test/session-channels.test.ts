import { describe, expect, test } from "vitest";
import { register, startSession, type Fixture } from "./session-fixture.js";

function inLobby(): Fixture {
  const fixture = startSession({ channels: ["#lobby"] });
  register(fixture);
  fixture.feed(
    ":alice!u@h JOIN #lobby",
    ":irc.test 332 alice #lobby :Welcome to https://example.org/lobby",
    ":irc.test 353 alice = #lobby :@+bob alice +carol",
    ":irc.test 353 alice = #lobby :dave",
    ":irc.test 366 alice #lobby :End of /NAMES list.",
  );
  fixture.take();
  return fixture;
}

const members = (fixture: Fixture, channel = "#lobby"): string[] =>
  [...(fixture.session.buffers.get(channel)?.members.values() ?? [])].map((member) => member.prefixes + member.nick).sort();

describe("channels", () => {
  test("JOIN, NAMES (multi-prefix) and the topic", () => {
    const fixture = inLobby();
    const lobby = fixture.session.buffers.get("#lobby");
    expect(lobby?.joined).toBe(true);
    expect(lobby?.topic).toBe("Welcome to https://example.org/lobby");
    expect(members(fixture)).toEqual(["+carol", "@+bob", "alice", "dave"]);
  });

  test("others joining, parting, quitting, being kicked and renamed", () => {
    const fixture = inLobby();
    const { feed, session } = fixture;
    feed(":erin!e@h JOIN #lobby");
    expect(members(fixture)).toContain("erin");
    feed(":erin!e@h PART #lobby :bye");
    feed(":dave!d@h QUIT :Quit: later");
    feed(":bob!b@h KICK #lobby carol :spam");
    feed(":bob!b@h NICK robert");
    expect(members(fixture)).toEqual(["@+robert", "alice"]);
    const texts = session.buffers.get("#lobby")?.messages.slice(-5).map((message) => `${message.kind} ${message.nick} ${message.text}`);
    expect(texts).toEqual([
      "join erin joined #lobby",
      "part erin left #lobby (bye)",
      "quit dave quit (Quit: later)",
      "kick bob removed carol from #lobby (spam)",
      "nick bob is now known as robert",
    ]);
  });

  test("MODE gives and takes membership prefixes, skipping other modes' arguments", () => {
    const fixture = inLobby();
    fixture.feed(":bob!b@h MODE #lobby +kov-v secret dave dave carol");
    expect(members(fixture)).toEqual(["@+bob", "@+dave", "alice", "carol"]);
    fixture.feed(":bob!b@h MODE #lobby -o+l dave 10");
    expect(members(fixture)).toEqual(["+dave", "@+bob", "alice", "carol"]);
  });

  test("TOPIC changes the topic", () => {
    const fixture = inLobby();
    fixture.feed(":bob!b@h TOPIC #lobby :New topic");
    expect(fixture.session.buffers.get("#lobby")?.topic).toBe("New topic");
  });

  test("our own PART closes the buffer and drops it from the channels to rejoin", () => {
    const fixture = inLobby();
    fixture.session.submit("/part");
    expect(fixture.take()).toEqual(["PART #lobby"]);
    fixture.feed(":alice!u@h PART #lobby");
    expect(fixture.session.buffers.has("#lobby")).toBe(false);
    expect(fixture.session.wantedChannels()).toEqual([]);
    expect(fixture.session.active).toBe("*");
  });

  test("our own NICK renames us everywhere", () => {
    const fixture = inLobby();
    fixture.session.submit("/nick alicia");
    expect(fixture.take()).toEqual(["NICK alicia"]);
    fixture.feed(":alice!u@h NICK :alicia");
    expect(fixture.session.nick).toBe("alicia");
    expect(members(fixture)).toContain("alicia");
  });

  test("names are compared by the server's casemapping", () => {
    const fixture = inLobby();
    fixture.feed(":BOB!b@h PRIVMSG #LOBBY :hi", ":Alice!u@h PART #Lobby");
    expect(fixture.session.buffers.has("#lobby")).toBe(false);
  });

  test("away-notify marks members away and back", () => {
    const fixture = inLobby();
    fixture.feed(":bob!b@h AWAY :lunch");
    expect(fixture.session.buffers.get("#lobby")?.members.get("bob")?.away).toBe(true);
    fixture.feed(":bob!b@h AWAY");
    expect(fixture.session.buffers.get("#lobby")?.members.get("bob")?.away).toBe(false);
  });
});

describe("messages", () => {
  test("a channel message keeps its server time, msgid and account", () => {
    const fixture = inLobby();
    fixture.feed("@time=2026-01-02T10:00:02.123Z;msgid=m1;account=bob :bob!b@h PRIVMSG #lobby :hello alice");
    const message = fixture.session.buffers.get("#lobby")?.messages.at(-1);
    expect(message).toMatchObject({ id: "m1", msgid: "m1", time: Date.parse("2026-01-02T10:00:02.123Z"), kind: "privmsg", nick: "bob", text: "hello alice", account: "bob", self: false, mention: true });
  });

  test("a message without server-time gets the time it arrived", () => {
    const fixture = inLobby();
    fixture.feed(":bob!b@h PRIVMSG #lobby :hi");
    expect(fixture.session.buffers.get("#lobby")?.messages.at(-1)?.time).toBe(Date.parse("2026-01-02T10:00:00.000Z"));
  });

  test("/me sends a CTCP ACTION and it is shown as an action", () => {
    const fixture = inLobby();
    fixture.session.submit("/me waves");
    expect(fixture.take()).toEqual(["PRIVMSG #lobby :\x01ACTION waves\x01"]);
    fixture.feed("@msgid=m2 :alice!u@h PRIVMSG #lobby :\x01ACTION waves\x01");
    expect(fixture.session.buffers.get("#lobby")?.messages.at(-1)).toMatchObject({ kind: "action", text: "waves", self: true });
  });

  test("with echo-message, what we say is shown when the server echoes it", () => {
    const fixture = inLobby();
    const lobby = fixture.session.buffers.get("#lobby");
    const before = lobby?.messages.length;
    fixture.session.submit("hello everyone");
    expect(fixture.take()).toEqual(["PRIVMSG #lobby :hello everyone"]);
    expect(lobby?.messages.length).toBe(before);
    fixture.feed("@msgid=m3;time=2026-01-02T10:00:01.000Z :alice!u@h PRIVMSG #lobby :hello everyone");
    expect(lobby?.messages.at(-1)).toMatchObject({ msgid: "m3", self: true, text: "hello everyone" });
  });

  test("without echo-message, what we say is shown at once", () => {
    const fixture = startSession({ channels: ["#lobby"] });
    register(fixture, "server-time batch");
    fixture.feed(":alice!u@h JOIN #lobby");
    fixture.session.submit("hi");
    expect(fixture.session.buffers.get("#lobby")?.messages.at(-1)).toMatchObject({ self: true, text: "hi", nick: "alice" });
  });

  test("private messages open a query with the sender; our echo goes to the same query", () => {
    const fixture = inLobby();
    fixture.feed("@msgid=p1 :bob!b@h PRIVMSG alice :psst");
    const query = fixture.session.buffers.get("bob");
    expect(query?.kind).toBe("query");
    expect(query?.messages.at(-1)).toMatchObject({ text: "psst", mention: true });
    fixture.feed("@msgid=p2 :alice!u@h PRIVMSG bob :yes?");
    expect(query?.messages.map((message) => message.text)).toEqual(["psst", "yes?"]);
  });

  test("/msg opens the query and sends; /query opens it", () => {
    const fixture = inLobby();
    fixture.session.submit("/msg carol see you");
    expect(fixture.take()).toEqual(["PRIVMSG carol :see you"]);
    expect(fixture.session.active).toBe("carol");
    fixture.session.submit("/query dave");
    expect(fixture.session.active).toBe("dave");
  });

  test("/join, /topic, /quit and unknown commands", () => {
    const fixture = inLobby();
    fixture.session.submit("/join help");
    fixture.session.submit("/topic Quiet please");
    fixture.session.submit("/whois bob");
    fixture.session.submit("//not a command");
    let quitReason: string | undefined;
    fixture.session.on("quit", (reason) => (quitReason = reason));
    fixture.session.submit("/quit see you");
    expect(fixture.take()).toEqual(["JOIN #help", "TOPIC #lobby :Quiet please", "WHOIS bob", "PRIVMSG #lobby :/not a command", "QUIT :see you"]);
    expect(quitReason).toBe("see you");
  });

  test("several lines typed at once are sent one by one", () => {
    const fixture = inLobby();
    fixture.session.submit("one\ntwo\r\n\nthree");
    expect(fixture.take()).toEqual(["PRIVMSG #lobby :one", "PRIVMSG #lobby :two", "PRIVMSG #lobby :three"]);
  });

  test("a long line is split so that each piece fits 512 bytes as relayed", () => {
    const fixture = inLobby();
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    fixture.session.submit(words);
    const lines = fixture.take();
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      const relayed = `:alice!${"u".repeat(10)}@${"h".repeat(52)} ${line}\r\n`;
      expect(new TextEncoder().encode(relayed).length).toBeLessThanOrEqual(512);
    }
    expect(lines.map((line) => line.slice("PRIVMSG #lobby :".length)).join(" ")).toBe(words);
  });

  test("nothing is sent while not registered, and the text stays", () => {
    const { session, take } = startSession();
    expect(session.submit("hello")).toBe(false);
    expect(take()).toEqual([]);
  });

  test("CTCP VERSION is answered and not shown", () => {
    const fixture = inLobby();
    fixture.feed(":bob!b@h PRIVMSG alice :\x01VERSION\x01");
    expect(fixture.take()).toEqual(["NOTICE bob :\x01VERSION netlab web-chat\x01"]);
    expect(fixture.session.buffers.has("bob")).toBe(false);
  });

  test("server notices go to the server buffer", () => {
    const fixture = inLobby();
    fixture.feed(":irc.test NOTICE alice :*** Server restarting soon");
    expect(fixture.session.serverBuffer().messages.at(-1)).toMatchObject({ kind: "notice", text: "*** Server restarting soon" });
  });

  test("error numerics go to the buffer they name, or the active one", () => {
    const fixture = inLobby();
    fixture.session.submit("/msg nobody hi");
    fixture.feed(":irc.test 401 alice nobody :No such nick/channel");
    expect(fixture.session.buffers.get("nobody")?.messages.at(-1)).toMatchObject({ kind: "error", text: "nobody No such nick/channel" });
  });
});

describe("unread counts", () => {
  test("messages in other buffers count, mentions apart; showing the buffer clears them", () => {
    const fixture = inLobby();
    const { session, feed } = fixture;
    feed(":alice!u@h JOIN #help");
    session.activate("#help");
    feed(":bob!b@h PRIVMSG #lobby :one", ":bob!b@h PRIVMSG #lobby :two alice", ":bob!b@h JOIN #lobby");
    const lobby = session.buffers.get("#lobby");
    expect([lobby?.unread, lobby?.mentions]).toEqual([2, 1]);
    session.activate("#lobby");
    expect([lobby?.unread, lobby?.mentions]).toEqual([0, 0]);
  });

  test("the active buffer counts while the page is hidden or unfocused", () => {
    const fixture = inLobby();
    fixture.session.activate("#lobby");
    fixture.session.setAttending(false);
    fixture.feed(":bob!b@h PRIVMSG #lobby :hi");
    expect(fixture.session.buffers.get("#lobby")?.unread).toBe(1);
    fixture.session.setAttending(true);
    expect(fixture.session.buffers.get("#lobby")?.unread).toBe(0);
  });

  test("our own messages do not count", () => {
    const fixture = inLobby();
    fixture.session.activate("*");
    fixture.feed("@msgid=x :alice!u@h PRIVMSG #lobby :mine");
    expect(fixture.session.buffers.get("#lobby")?.unread).toBe(0);
  });

  test("a read marker from the server (draft/read-marker) sets what is unread", () => {
    const fixture = inLobby();
    const { feed, session } = fixture;
    session.activate("*");
    feed(
      "@time=2026-01-02T09:00:00.000Z;msgid=a :bob!b@h PRIVMSG #lobby :old",
      "@time=2026-01-02T09:30:00.000Z;msgid=b :bob!b@h PRIVMSG #lobby :newer",
      "@time=2026-01-02T09:40:00.000Z;msgid=c :bob!b@h PRIVMSG #lobby :newest",
    );
    expect(session.buffers.get("#lobby")?.unread).toBe(3);
    feed(":irc.test MARKREAD #lobby timestamp=2026-01-02T09:30:00.000Z");
    expect(session.buffers.get("#lobby")?.unread).toBe(1);
  });
});
