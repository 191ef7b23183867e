import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { RawClient, register, startServer } from "./raw-client.js";

let port = 0;
let stop: () => Promise<void>;
const open: RawClient[] = [];
const connect = async (): Promise<RawClient> => {
  const client = await RawClient.connect(port);
  open.push(client);
  return client;
};
const registered = async (nick: string, caps: string[] = []): Promise<RawClient> => {
  const client = await register(port, nick, caps);
  open.push(client);
  return client;
};

beforeAll(async () => {
  ({ port, stop } = await startServer({ password: undefined, motd: ["hello", "second line"] }));
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => stop());

describe("registration", () => {
  test("NICK and USER give 001-005, LUSERS and the MOTD", async () => {
    const c = await connect();
    c.send("NICK alice", "USER alice 0 * :Alice Liddell");
    for (const code of ["001", "002", "003", "004", "005", "251", "252", "253", "254", "255", "375", "372", "372", "376"]) {
      await c.expect(new RegExp(`^:irc\\.test ${code} alice `));
    }
    const isupport = c.lines.filter((line) => / 005 /.test(line)).join(" ");
    for (const token of ["CASEMAPPING=rfc1459", "CHANTYPES=#&", "NICKLEN=30", "CHANNELLEN=50", "PREFIX=(ov)@+", "NETWORK=netlab"]) {
      expect(isupport).toContain(token);
    }
    expect(c.lines[0]).toBe(":irc.test 001 alice :Welcome to the netlab IRC Network alice!~alice@127.0.0.1");
  });

  test("USER before NICK also registers", async () => {
    const c = await connect();
    c.send("USER bob 0 * :Bob", "NICK bob");
    await c.expect(/ 001 bob /);
  });

  test.each([
    ["NICK", / 431 \* :No nickname given/],
    ["NICK 1abc", / 432 \* 1abc :Erroneous nickname/],
    ["NICK a,b", / 432 \* a,b :/],
    ["NICK " + "n".repeat(31), / 432 \* n+ :/],
    ["USER x 0 *", / 461 \* USER :Not enough parameters/],
    ["PASS", / 461 \* PASS /],
    ["JOIN #lab", / 451 \* :You have not registered/],
    ["PRIVMSG x :y", / 451 \* /],
    ["FOO", / 451 \* /],
    ["CAP BOGUS", / 410 \* BOGUS /],
  ])("before registration: %s", async (line, reply) => {
    const c = await connect();
    c.send(line);
    await c.expect(reply);
  });

  test("433 when the nick is taken, case-insensitively (rfc1459: [ is {)", async () => {
    await registered("Taken[1]");
    const c = await connect();
    c.send("NICK taken{1}");
    await c.expect(/ 433 \* taken\{1\} :Nickname is already in use/);
    c.send("NICK free1", "USER f 0 * :F");
    await c.expect(/ 001 free1 /);
  });

  test("462 on a second USER or PASS after registration", async () => {
    const c = await registered("carol");
    c.send("USER c 0 * :C");
    await c.expect(/ 462 carol :You may not reregister/);
    c.send("PASS secret");
    await c.expect(/ 462 carol /);
  });

  test("QUIT before registering gets ERROR and a close", async () => {
    const c = await connect();
    c.send("QUIT :bye");
    await c.expect(/^ERROR :Closing Link: 127\.0\.0\.1 \(Quit: bye\)/);
    await c.done;
  });

  test("PING before and after registration gets PONG with the token", async () => {
    const c = await connect();
    c.send("PING :abc def");
    await c.expect(/^:irc\.test PONG irc\.test :abc def$/);
    c.send("NICK dave", "USER d 0 * :D", "PING x1");
    await c.expect(/PONG irc\.test x1$/);
  });

  test("unknown commands after registration get 421", async () => {
    const c = await registered("erin");
    c.send("FROBNICATE a b");
    await c.expect(/ 421 erin FROBNICATE :Unknown command/);
  });
});

describe("CAP", () => {
  test("LS 302 lists the capabilities and holds registration until END", async () => {
    const c = await connect();
    c.send("CAP LS 302", "NICK capper", "USER c 0 * :C");
    const ls = await c.expect(/ CAP \* LS :/);
    for (const cap of ["server-time", "message-tags", "echo-message", "batch", "multi-prefix", "away-notify", "account-tag"]) {
      expect(ls).toContain(cap);
    }
    expect(await c.sees(/ 001 /, 200)).toBe(false);
    c.send("CAP REQ :server-time echo-message", "CAP LIST");
    await c.expect(/ CAP capper ACK :server-time echo-message/);
    await c.expect(/ CAP capper LIST :.*echo-message.*server-time/);
    c.send("CAP END");
    await c.expect(/ 001 capper /);
  });

  test("REQ with an unknown capability is NAKed whole", async () => {
    const c = await connect();
    c.send("CAP REQ :server-time bogus-cap");
    await c.expect(/ CAP \* NAK :server-time bogus-cap/);
    c.send("CAP LIST");
    await c.expect(/ CAP \* LIST :$/);
  });

  test("REQ -cap removes it", async () => {
    const c = await registered("capoff", ["server-time", "echo-message"]);
    c.send("CAP REQ :-echo-message", "CAP LIST");
    await c.expect(/ ACK :-echo-message/);
    await c.expect(/ LIST :cap-notify server-time$/);
  });
});

describe("server password", () => {
  test("464 and a close on a wrong PASS; the right one registers", async () => {
    const guarded = await startServer({ password: "s3cret" });
    try {
      const bad = await RawClient.connect(guarded.port);
      bad.send("PASS wrong", "NICK bad", "USER b 0 * :B");
      await bad.expect(/ 464 bad :Password incorrect/);
      await bad.expect(/^ERROR :Closing Link/);
      await bad.done;
      const none = await RawClient.connect(guarded.port);
      none.send("NICK none", "USER n 0 * :N");
      await none.expect(/ 464 none /);
      await none.done;
      const good = await RawClient.connect(guarded.port);
      good.send("PASS s3cret", "NICK good", "USER g 0 * :G");
      await good.expect(/ 001 good /);
      good.close();
    } finally {
      await guarded.stop();
    }
  });

  test("422 when there is no MOTD", async () => {
    const plain = await startServer();
    try {
      const c = await RawClient.connect(plain.port);
      c.send("NICK m", "USER m 0 * :M");
      await c.expect(/ 422 m :MOTD File is missing/);
      c.close();
    } finally {
      await plain.stop();
    }
  });
});
