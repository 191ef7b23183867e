import { describe, expect, test } from "vitest";
import { allCaps, register, startSession } from "./session-fixture.js";

describe("registration", () => {
  test("CAP LS 302, NICK and USER; asks only for wanted capabilities the server offers; CAP END after ACK", () => {
    const { session, feed, take } = startSession();
    session.connected();
    expect(take()).toEqual(["CAP LS 302", "NICK alice", "USER alice 0 * :netlab web-chat"]);
    feed(":irc.test CAP * LS :server-time batch multi-prefix chghost echo-message sasl=PLAIN");
    // sasl is not asked for without a password.
    expect(take()).toEqual(["CAP REQ :server-time echo-message batch multi-prefix"]);
    feed(":irc.test CAP * ACK :server-time echo-message batch multi-prefix");
    expect(take()).toEqual(["CAP END"]);
    expect([...session.caps].sort()).toEqual(["batch", "echo-message", "multi-prefix", "server-time"]);
    feed(":irc.test 001 alice :Welcome");
    expect(session.registered).toBe(true);
  });

  test("a CAP LS in several lines is read to its end before asking", () => {
    const { session, feed, take } = startSession();
    session.connected();
    take();
    feed(":irc.test CAP * LS * :server-time message-tags", ":irc.test CAP * LS :draft/chathistory batch");
    expect(take()).toEqual(["CAP REQ :server-time message-tags batch draft/chathistory"]);
  });

  test("asks for all eleven capabilities from chat-server", () => {
    const { session, feed, take } = startSession({ password: "pw" });
    session.connected();
    take();
    feed(`:irc.test CAP * LS :${allCaps}`);
    expect(take()).toEqual([
      "CAP REQ :server-time message-tags echo-message batch draft/chathistory sasl multi-prefix away-notify account-tag labeled-response draft/read-marker",
    ]);
  });

  test("a server without CAP (no reply) or with no wanted capability: CAP END at once", () => {
    const { session, feed, take } = startSession();
    session.connected();
    take();
    feed(":irc.test CAP * LS :chghost");
    expect(take()).toEqual(["CAP END"]);
  });

  test("SASL PLAIN with the password, then CAP END on 903", () => {
    const { session, feed, take } = startSession({ password: "sesame" });
    session.connected();
    take();
    feed(":irc.test CAP * LS :sasl=PLAIN server-time");
    expect(take()).toEqual(["CAP REQ :server-time sasl"]);
    feed(":irc.test CAP * ACK :server-time sasl");
    expect(take()).toEqual(["AUTHENTICATE PLAIN"]);
    feed("AUTHENTICATE +");
    expect(take()).toEqual([`AUTHENTICATE ${btoa("\0alice\0sesame")}`]);
    feed(":irc.test 900 alice alice!alice@host alice :You are now logged in as alice", ":irc.test 903 alice :SASL authentication successful");
    expect(take()).toEqual(["CAP END"]);
    expect(session.account).toBe("alice");
  });

  test("SASL PLAIN logs in to the account given, in UTF-8", () => {
    const { session, feed, take } = startSession({ password: "pässword", account: "Zoë" });
    session.connected();
    feed(":irc.test CAP * LS :sasl", ":irc.test CAP * ACK :sasl", "AUTHENTICATE +");
    const line = take().find((sent) => sent.startsWith("AUTHENTICATE ") && sent !== "AUTHENTICATE PLAIN") ?? "";
    const bytes = Uint8Array.from(atob(line.slice(13)), (ch) => ch.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe("\0Zoë\0pässword");
  });

  test("a failed login says so and registers without the account", () => {
    const { session, feed, take } = startSession({ password: "wrong" });
    session.connected();
    feed(":irc.test CAP * LS :sasl", ":irc.test CAP * ACK :sasl", "AUTHENTICATE +");
    take();
    feed(":irc.test 904 alice :SASL authentication failed");
    expect(take()).toEqual(["CAP END"]);
    expect(session.problem).toBe("Login failed: SASL authentication failed");
    expect(session.serverBuffer().messages.at(-1)).toMatchObject({ kind: "error", text: "Login failed: SASL authentication failed" });
  });

  test("a password for a server without SASL: registers and says it did not log in", () => {
    const { session, feed, take } = startSession({ password: "pw" });
    session.connected();
    take();
    feed(":irc.test CAP * LS :server-time");
    expect(take()).toEqual(["CAP REQ :server-time"]);
    expect(session.problem).toMatch(/does not offer SASL/);
  });

  test("433 while registering tries nick_, then nick__", () => {
    const { session, feed, take } = startSession();
    session.connected();
    take();
    feed(":irc.test 433 * alice :Nickname is already in use");
    expect(take()).toEqual(["NICK alice_"]);
    feed(":irc.test 433 * alice_ :Nickname is already in use");
    expect(take()).toEqual(["NICK alice__"]);
    feed(":irc.test 001 alice__ :Welcome");
    expect(session.nick).toBe("alice__");
    // The chosen nick is taken back when its holder leaves.
    feed(":alice!u@h QUIT :Ping timeout");
    expect(take()).toEqual(["NICK alice"]);
  });

  test("PING gets its PONG", () => {
    const { feed, take } = startSession();
    feed("PING :irc.test 123");
    expect(take()).toEqual(["PONG :irc.test 123"]);
  });

  test("joins the form's channels after the welcome and shows the first one", () => {
    const fixture = startSession({ channels: ["#lobby", "#help"] });
    register(fixture);
    expect(fixture.sent).toContain("JOIN #lobby,#help");
    fixture.feed(":alice!u@h JOIN #help", ":alice!u@h JOIN #lobby");
    expect(fixture.session.active).toBe("#lobby");
    expect(fixture.session.buffers.get("#help")?.joined).toBe(true);
  });

  test("the network's name from ISUPPORT names the server buffer", () => {
    const fixture = startSession();
    register(fixture);
    expect(fixture.session.serverBuffer().name).toBe("TestNet");
    expect(fixture.session.support.chathistoryLimit).toBe(1000);
  });
});
