import { describe, expect, test } from "vitest";
import { useServer } from "./fixture.js";

describe("UTF8ONLY off (--no-utf8-only): invalid bytes are repaired and the line goes on", () => {
  const { user } = useServer({ utf8Only: false });

  test("the message arrives with U+FFFD where the bytes were, and 005 does not say UTF8ONLY", async () => {
    const a = await user("a");
    const b = await user("b");
    expect(a.lines.filter((line) => / 005 /.test(line)).join(" ")).not.toContain("UTF8ONLY");
    a.socket.write(Buffer.concat([Buffer.from(`PRIVMSG ${b.nick} :caf`), Buffer.from([0xe9]), Buffer.from(" ok\r\n")]));
    expect(await b.expect(/ ok$/)).toContain("caf\uFFFD ok");
  });
});

describe("UTF8ONLY on (the default)", () => {
  const { user } = useServer();

  test("005 says UTF8ONLY and BOT=B; a NICK that is not UTF-8 gets FAIL NICK INVALID_UTF8", async () => {
    const a = await user("a");
    const tokens = a.lines.filter((line) => / 005 /.test(line)).join(" ");
    expect(tokens).toContain(" UTF8ONLY");
    expect(tokens).toContain(" BOT=B");
    a.socket.write(Buffer.concat([Buffer.from("NICK caf"), Buffer.from([0xe9]), Buffer.from("\r\n")]));
    expect(await a.expect(/FAIL/)).toMatch(/FAIL NICK INVALID_UTF8 :/);
  });
});
