import { describe, expect, test } from "vitest";
import { parseMessage } from "../src/index.js";
import { useServer } from "./fixture.js";

describe("message-tags length limits and multi-target KICK", () => {
  const { user, channel } = useServer();

  test("4094 bytes of client tag data are relayed whole; one more byte is 417 and nothing is relayed", async () => {
    const ann = await user("ann", ["message-tags", "echo-message"]);
    const bob = await user("bob", ["message-tags"]);
    const room = channel();
    for (const client of [ann, bob]) {
      client.send(`JOIN ${room}`);
      await client.expect(/ 366 /);
    }
    await ann.expect(new RegExp(`:${bob.nick}!\\S+ JOIN`));
    const atLimit = `@foo=bar;+baz=${"a".repeat(4081)} TAGMSG ${room}`;
    expect(atLimit.indexOf("TAGMSG")).toBe(4096);
    ann.send(atLimit);
    const relayed = parseMessage(await bob.expect(/ TAGMSG /));
    expect(relayed?.tags?.["+baz"]).toHaveLength(4081);
    ann.skip();
    ann.send(`@foo=bar;+baz=${"a".repeat(4082)} TAGMSG ${room}`);
    await ann.expect(/ 417 /);
    ann.send(`@+x=${"a".repeat(4100)} PRIVMSG ${room} :hi`);
    await ann.expect(/ 417 /);
    expect(await bob.sees(/ TAGMSG | PRIVMSG /)).toBe(false);
    ann.send("PING :alive");
    await ann.expect(/PONG/);
  });

  test("KICK #a,#b u1,u2 kicks u1 from #a and u2 from #b, each with its own KICK line", async () => {
    const ann = await user("ann");
    const bob = await user("bob");
    const cat = await user("cat");
    const [one, two] = [channel(), channel()];
    for (const client of [ann, bob, cat]) {
      client.send(`JOIN ${one},${two}`);
      await client.expect(new RegExp(` 366 \\S+ ${two} `));
    }
    await ann.expect(new RegExp(`:${cat.nick}!\\S+ JOIN ${two}`));
    ann.send(`KICK ${one},${two} ${bob.nick},${cat.nick} :bye`);
    expect(await bob.expect(/ KICK /)).toMatch(new RegExp(`KICK ${one} ${bob.nick} :bye$`));
    expect(await cat.expect(new RegExp(`KICK ${two}`))).toMatch(new RegExp(`KICK ${two} ${cat.nick} :bye$`));
    ann.send(`KICK ${one},${two} ${cat.nick}`, `KICK ${one} ${cat.nick},nobody`);
    expect(await ann.expect(/ 461 /)).toMatch(/ 461 \S+ KICK /);
    expect(await cat.expect(new RegExp(`KICK ${one}`))).toMatch(new RegExp(`KICK ${one} ${cat.nick} :${ann.nick}$`));
    expect(await ann.expect(/ 441 /)).toMatch(new RegExp(` 441 \\S+ nobody ${one} `));
  });
});
