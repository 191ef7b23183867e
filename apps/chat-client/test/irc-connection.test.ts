import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { IrcConnection } from "../src/index.js";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/**
 * A scripted IRC server on 127.0.0.1 that welcomes one IrcConnection. Returns the server's end
 * of the socket, to write raw bytes to the client, and the text of each PRIVMSG it emits.
 */
async function connected(): Promise<{ socket: net.Socket; texts: string[] }> {
  let accepted: (socket: net.Socket) => void = () => {};
  const client = new Promise<net.Socket>((resolve) => (accepted = resolve));
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let heard = "";
    socket.on("data", (chunk: Buffer) => {
      heard += chunk.toString("latin1");
      if (/^USER /m.test(heard)) socket.write(":irc.test 001 framer :Welcome\r\n");
    });
    accepted(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const connection = await IrcConnection.open({ host: "127.0.0.1", port: (server.address() as net.AddressInfo).port, nick: "framer" });
  cleanup = async () => {
    connection.destroy();
    (await client).destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const texts: string[] = [];
  connection.on("message", (message) => message.command === "PRIVMSG" && texts.push(message.params[1] ?? ""));
  return { socket: await client, texts };
}

describe("IrcConnection framing", () => {
  test("a UTF-8 character split across two TCP chunks arrives whole", async () => {
    const { socket, texts } = await connected();
    const line = Buffer.from(":bob!b@h PRIVMSG #lab :caf\u00e9 \u{1f600}\r\n");
    const e = line.indexOf(0xc3) + 1;
    const emoji = line.indexOf(0xf0) + 2;
    // Each piece but the last ends inside a character; the pause lets the client read it alone.
    for (const piece of [line.subarray(0, e), line.subarray(e, emoji), line.subarray(emoji)]) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expect.poll(() => texts).toEqual(["caf\u00e9 \u{1f600}"]);
  });

  test("a line longer than 8191 + 512 bytes is skipped; CR, LF and CR LF all end a line", async () => {
    const { socket, texts } = await connected();
    const prefix = ":bob!b@h PRIVMSG #lab :";
    const longest = prefix + "y".repeat(8191 + 512 - prefix.length);
    socket.write(`${prefix}${"x".repeat(9000)}\r\n${prefix}after\n`);
    socket.write(`${longest}\r${prefix}last\r\n`);
    await expect.poll(() => texts).toEqual(["after", longest.slice(prefix.length), "last"]);
  });
});
