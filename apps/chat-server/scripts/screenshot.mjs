// Screenshots of the web chat for the root README: a chat-server with the web client on a
// free port, a few TCP bots talking on #netlab and #help, and Debian's chromium (driven by
// playwright-core) logged in as "ada": docs/web-chat.png (1100x700) and
// docs/web-chat-phone.png (390x800).
// Usage: pnpm --filter @netlab/chat-server screenshot   (after pnpm build, for the web client)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createChatServer, openSqliteHistory } from "../dist/index.js";

const docs = fileURLToPath(new URL("../../../docs/", import.meta.url));

function browserPath() {
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error('chromium not found: install it with "apt-get install -y chromium"');
  }
}

function webClientDirectory() {
  const index = fileURLToPath(import.meta.resolve("@netlab/web-chat/dist/index.html"));
  if (!existsSync(index)) throw new Error(`${index} is missing: build the web client first (pnpm build)`);
  return path.dirname(index);
}

/** A TCP IRC client: send lines, wait for one matching a pattern. */
async function bot(port, nick) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.setEncoding("utf8");
  const lines = [];
  const waiters = [];
  let buffer = "";
  socket.on("data", (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line.startsWith("PING ")) socket.write(`PONG ${line.slice(5)}\r\n`);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const client = {
    send: (...out) => socket.write(out.map((line) => `${line}\r\n`).join("")),
    /** The next line from now on that matches pattern. */
    expect: (pattern, ms = 5_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${nick}: no line matching ${pattern} within ${ms} ms`)), ms);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      }),
    /** Says each line on target, and waits until the server has handled them all. */
    async say(target, ...texts) {
      const done = client.expect(/ PONG /);
      client.send(...texts.map((text) => `PRIVMSG ${target} :${text}`), "PING :said");
      await done;
    },
    close: () => socket.destroy(),
  };
  const welcome = client.expect(/ (376|422) /);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
  await welcome;
  return client;
}

async function join(client, nick, ...channels) {
  for (const channel of channels) {
    const joined = client.expect(new RegExp(` 366 ${nick} ${channel} `));
    client.send(`JOIN ${channel}`);
    await joined;
  }
}

/** Opens the page, logs in as nick on channels, and waits for the chat to show lastText on #netlab. */
async function openChat(browser, url, viewport, nick, channels, lastText) {
  const context = await browser.newContext({ viewport, colorScheme: "light", deviceScaleFactor: 1 });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(url);
  await page.fill("#nick", nick);
  await page.fill("#channels", channels);
  await page.click("#connect");
  await page.locator('#status[data-state="connected"]').waitFor({ state: "attached" });
  // On a phone the list is a closed panel: the click is sent to the button as it is.
  await page.locator('#buffer-list li[data-buffer="#netlab"] button').dispatchEvent("click");
  await page.locator("#messages .message .text", { hasText: lastText }).waitFor();
  return { context, page };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "web-chat-screenshot-"));
const server = createChatServer({
  serverName: "irc.netlab.test",
  port: 0,
  websocket: { port: 0, webClient: webClientDirectory() },
  history: openSqliteHistory({ dataDir }),
  motd: ["Welcome to netlab."],
  limits: { floodRate: 0 },
});
await server.listen();
const ircPort = server.address()?.port;
const wsPort = server.allAddresses().find((address) => address.protocol === "ws")?.port;
const url = `http://127.0.0.1:${wsPort}/`;
const bots = [];
let browser;
try {
  const grace = await bot(ircPort, "grace");
  const linus = await bot(ircPort, "linus");
  const margaret = await bot(ircPort, "margaret");
  const ken = await bot(ircPort, "ken");
  bots.push(grace, linus, margaret, ken);
  // grace opens both channels first, so she is their operator.
  await join(grace, "grace", "#netlab", "#help");
  grace.send("TOPIC #netlab :netlab: IRC in the browser and in your terminal | history, accounts, cluster mode | be kind");
  await join(linus, "linus", "#netlab");
  await join(margaret, "margaret", "#netlab", "#help");
  await join(ken, "ken", "#netlab", "#help");
  grace.send("MODE #netlab +v margaret");
  await grace.expect(/ MODE #netlab \+v margaret/);
  linus.send("AWAY :compiling");

  await grace.say("#netlab", "morning all! cluster mode is merged: two nodes behind one Redis act as one network");
  await linus.say("#netlab", "nice. does the history survive a node restart?");
  await grace.say("#netlab", "yes: Redis Streams in a cluster, SQLite on a single node, both survive kill -9");
  await ken.say("#netlab", "and clients get what they missed? my phone drops off the wifi all the time");
  await grace.say("#netlab", "on every reconnect they ask for what came after the last message they saw: each message once");
  await margaret.say("#netlab", "the CHATHISTORY spec, for anyone writing a client: https://ircv3.net/specs/extensions/chathistory");
  await ken.say("#netlab", "\u0001ACTION is reading the spec over coffee\u0001");
  await margaret.say("#help", "anyone know how to keep a nick while offline?");
  await ken.say("#help", "NS SET ALWAYS-ON on, once you have an account");

  browser = await chromium.launch({ executablePath: browserPath(), args: ["--no-sandbox"] });
  mkdirSync(docs, { recursive: true });
  const ada = await openChat(browser, url, { width: 1100, height: 700 }, "ada", "#help, #netlab", "https://ircv3.net/specs/extensions/chathistory");
  await linus.say("#netlab", "ada: welcome! scroll up and older messages load as you go");
  await ada.page.locator("#messages .message .text", { hasText: "ada: welcome!" }).waitFor();
  await ada.page.fill("#input", "thanks! this is the web client chat-server serves on its WebSocket port");
  await ada.page.press("#input", "Enter");
  await ada.page.locator("#messages .message .text", { hasText: "this is the web client" }).waitFor();
  await margaret.say("#help", "ada: try the member list on the right, then click a name to talk in private");
  await ada.page.locator('#buffer-list li[data-buffer="#help"] .unread:not([hidden])').waitFor();
  await ada.page.fill("#input", "");
  await ada.page.locator("#input").blur();
  await ada.page.screenshot({ path: path.join(docs, "web-chat.png") });
  await ada.context.close();
  await grace.expect(/^:ada!\S+ QUIT /);

  // On a phone, ada comes back: what was said before comes from the history.
  const phone = await openChat(browser, url, { width: 390, height: 800 }, "ada", "#help, #netlab", "this is the web client");
  await phone.page.fill("#input", "and now the same chat on my phone, history included");
  await phone.page.press("#input", "Enter");
  await ken.say("#netlab", "ada: same here, it even fits a 360 px screen");
  await phone.page.locator("#messages .message .text", { hasText: "fits a 360 px screen" }).waitFor();
  await phone.page.fill("#input", "");
  await phone.page.locator("#input").blur();
  await phone.page.screenshot({ path: path.join(docs, "web-chat-phone.png") });
  await phone.context.close();
  console.log(`wrote ${path.join(docs, "web-chat.png")} and ${path.join(docs, "web-chat-phone.png")}`);
} finally {
  await browser?.close();
  for (const client of bots) client.close();
  await server.close({ graceMs: 200 });
  rmSync(dataDir, { recursive: true, force: true });
}
