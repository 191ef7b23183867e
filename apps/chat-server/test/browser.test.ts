// The web client (@netlab/web-chat) in a real browser against chat-server in this process:
// Debian's chromium driven by playwright-core (which never downloads a browser of its own).
// Without chromium the tests are skipped with a message naming the package, except under
// CI, where findProgram throws and the file fails.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findProgram, startRedis } from "@netlab/test-kit";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { SqliteAccounts } from "../src/accounts/sqlite-accounts.js";
import { openSqliteHistory, type ChatServer, type ChatServerOptions } from "../src/index.js";
import { noRedis, startNode } from "./cluster-fixture.js";
import { register, startServer, testScryptCost, type RawClient } from "./raw-client.js";

/**
 * What the functions run in the page see of its document (this package's types have no DOM):
 * enough to read the messages.
 */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: Pick<PageElement, "querySelector"> & { querySelectorAll(selector: string): ArrayLike<PageElement> };

const browserProgram = findProgram("chromium", "chromium");

/** The web client's files as chat-server's CLI finds them. */
function webClientDirectory(): string {
  const index = fileURLToPath(import.meta.resolve("@netlab/web-chat/dist/index.html"));
  if (!existsSync(index)) throw new Error(`${index} is missing: build the web client first (pnpm build)`);
  return path.dirname(index);
}

type Started = { server: ChatServer; port: number; stop: () => Promise<void> };

/** The port of a server's WebSocket listener. */
function wsPort(server: ChatServer): number {
  const address = server.allAddresses().find((candidate) => candidate.protocol === "ws");
  if (!address) throw new Error("no WebSocket listener");
  return address.port;
}

describe.skipIf(browserProgram.skip)("web chat in a browser", () => {
  let browser: Browser;
  let webClient: string;
  /** What each test opened, undone after it, last first. */
  const cleanups: (() => unknown)[] = [];
  /** Uncaught errors of the pages, which fail the test they happen in. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    webClient = webClientDirectory();
    browser = await chromium.launch({ executablePath: browserProgram.path, args: ["--no-sandbox"] });
  });

  afterEach(async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch((error: unknown) => failures.push(error));
    expect(pageErrors.splice(0)).toEqual([]);
    if (failures.length > 0) throw new AggregateError(failures, "cleanup failed");
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh browser context (its own localStorage), closed after the test. */
  async function newContext(viewport = { width: 1100, height: 700 }): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
    cleanups.push(() => context.close());
    return context;
  }

  function tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chat-browser-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A server with the web client, history and accounts in dataDir; stopped after the test unless stopped before. */
  async function serve(dataDir: string, options: ChatServerOptions = {}): Promise<Started> {
    const started = await startServer({
      history: openSqliteHistory({ dataDir }),
      accounts: { store: new SqliteAccounts({ dataDir }), cost: testScryptCost },
      ...options,
      websocket: { port: 0, webClient, ...options.websocket },
    });
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopped ??= started.stop());
    cleanups.push(stop);
    return { ...started, stop };
  }

  /** A TCP IRC client, closed after the test. */
  async function tcpUser(port: number, nick: string): Promise<RawClient> {
    const client = await register(port, nick);
    cleanups.push(() => client.close());
    return client;
  }

  /** Opens the page of the server at wsPort, logs in as nick, and waits until it is on channel. */
  async function openChat(context: BrowserContext, port: number, nick: string, channel: string, password = ""): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${nick}: ${error.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill("#nick", nick);
    await page.fill("#password", password);
    await page.fill("#channels", channel);
    expect(await page.inputValue("#server")).toBe(`ws://127.0.0.1:${port}/`);
    await page.click("#connect");
    await page.locator('#status[data-state="connected"]').waitFor({ state: "attached" });
    await page.locator(`#buffer-list li[data-buffer="${channel}"]`).waitFor();
    // The member list holds our own nick once the channel's NAMES came: joined.
    await memberShown(page, nick);
    return page;
  }

  async function memberShown(page: Page, nick: string): Promise<void> {
    await page.locator(`#nicklist .member[data-nick="${nick}"]`).waitFor({ state: "attached" });
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.fill("#input", text);
    await page.press("#input", "Enter");
  }

  /** Waits until the page shows a message whose text is exactly text. */
  async function shown(page: Page, text: string): Promise<void> {
    await page
      .locator("#messages .message .text")
      .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) })
      .first()
      .waitFor();
  }

  /** The talk (PRIVMSG) the page shows, in order: text and msgid. */
  async function talk(page: Page): Promise<{ text: string; msgid: string | null }[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('#messages .message[data-kind="privmsg"]'), (element) => ({
        text: element.querySelector(".text")?.textContent ?? "",
        msgid: element.getAttribute("data-msgid"),
      })),
    );
  }

  test("two pages and a TCP client on one channel see each other's messages and are all in the member list", async () => {
    const { server, port } = await serve(tempDir());
    const ws = wsPort(server);
    const carol = await tcpUser(port, "carol");
    carol.send("JOIN #room");
    await carol.expect(/ 366 carol #room /);
    const context = await newContext();
    const alice = await openChat(context, ws, "alice", "#room");
    const bob = await openChat(context, ws, "bob", "#room");

    await say(alice, "hello from alice");
    await carol.expect(/^:alice!\S+ PRIVMSG #room :hello from alice$/);
    await shown(bob, "hello from alice");
    await say(bob, "hi alice, bob here");
    await carol.expect(/^:bob!\S+ PRIVMSG #room :hi alice, bob here$/);
    await shown(alice, "hi alice, bob here");
    carol.send("PRIVMSG #room :carol on plain TCP");
    await shown(alice, "carol on plain TCP");
    await shown(bob, "carol on plain TCP");
    await shown(alice, "hello from alice");
    await shown(bob, "hi alice, bob here");

    for (const page of [alice, bob]) for (const nick of ["alice", "bob", "carol"]) await memberShown(page, nick);
    expect((await talk(alice)).map((message) => message.text)).toEqual(["hello from alice", "hi alice, bob here", "carol on plain TCP"]);
    expect((await talk(bob)).map((message) => message.text)).toEqual(["hello from alice", "hi alice, bob here", "carol on plain TCP"]);
  });

  test("history: the latest messages on joining, older ones in order when scrolling to the top (CHATHISTORY BEFORE), none twice", async () => {
    const { server, port } = await serve(tempDir());
    const seeder = await tcpUser(port, "seeder");
    seeder.send("JOIN #history");
    await seeder.expect(/ 366 seeder #history /);
    const texts = Array.from({ length: 150 }, (_, i) => `history line ${String(i + 1).padStart(3, "0")}`);
    seeder.send(...texts.map((text) => `PRIVMSG #history :${text}`), "PING :seeded");
    await seeder.expect(/ PONG \S+ :?seeded$/);

    const context = await newContext();
    const page = await openChat(context, wsPort(server), "reader", "#history");
    await shown(page, "history line 150");
    const first = await talk(page);
    expect(first.length).toBeLessThan(150);
    expect(first.map((message) => message.text)).toEqual(texts.slice(-first.length));

    // Scroll to the top until the page says it has reached the beginning.
    const note = page.locator("#history-note", { hasText: "beginning of the conversation" });
    for (let round = 0; round < 10 && !(await note.isVisible()); round++) {
      const before = (await talk(page)).length;
      await page.locator("#messages").evaluate((list) => {
        list.scrollTop = 0;
      });
      await page.waitForFunction(
        (count) => document.querySelectorAll('#messages .message[data-kind="privmsg"]').length > count || /beginning/.test(document.querySelector("#history-note")?.textContent ?? ""),
        before,
      );
    }
    await note.waitFor();

    const all = await talk(page);
    expect(all.map((message) => message.text)).toEqual(texts);
    const ids = all.map((message) => message.msgid);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(150);
  });

  test("after chat-server restarts on the same ports and data, the pages reconnect and show what was said meanwhile, once", async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir);
    const ircPort = first.port;
    const ws = wsPort(first.server);
    let dave = await tcpUser(ircPort, "dave");
    dave.send("JOIN #restart");
    await dave.expect(/ 366 dave #restart /);
    // erin's browser goes offline while the server is down, so it surely misses what dave says
    // then and fetches it after (CHATHISTORY AFTER); frank's comes back on its backoff timer.
    const offlineContext = await newContext();
    const erin = await openChat(offlineContext, ws, "erin", "#restart");
    const frank = await openChat(await newContext(), ws, "frank", "#restart");
    const pages = [erin, frank];
    dave.send("PRIVMSG #restart :before the restart");
    for (const page of pages) await shown(page, "before the restart");

    await first.stop();
    for (const page of pages) await page.locator('#status[data-state="reconnecting"]').waitFor({ state: "attached" });
    await offlineContext.setOffline(true);
    const second = await serve(dataDir, { port: ircPort, websocket: { port: ws } });
    expect(wsPort(second.server)).toBe(ws);
    dave = await tcpUser(ircPort, "dave");
    dave.send("JOIN #restart", "PRIVMSG #restart :while you were away 1", "PRIVMSG #restart :while you were away 2", "PING :said");
    await dave.expect(/ PONG \S+ :?said$/);
    // Offline, erin's page cannot have come back yet (its status may be between two attempts).
    expect(await erin.getAttribute("#status", "data-state")).not.toBe("connected");
    expect(await erin.locator("#messages .message .text", { hasText: "while you were away" }).count()).toBe(0);
    // Back online, the page retries at once (the online event) and finds the new server.
    await offlineContext.setOffline(false);

    for (const page of pages) {
      await page.locator('#status[data-state="connected"]').waitFor({ state: "attached" });
      await shown(page, "while you were away 2");
    }
    await dave.expect(/^:erin!\S+ JOIN #restart/);
    // A round trip after the catch-up: anything it would have shown twice is there by now.
    await say(erin, "erin is back");
    await dave.expect(/^:erin!\S+ PRIVMSG #restart :erin is back$/);
    for (const page of pages) {
      await shown(page, "erin is back");
      const seen = await talk(page);
      expect(seen.map((message) => message.text)).toEqual(["before the restart", "while you were away 1", "while you were away 2", "erin is back"]);
      expect(new Set(seen.map((message) => message.msgid)).size).toBe(seen.length);
    }
  });

  describe.skipIf(noRedis)("in cluster mode", () => {
    test("two pages on two nodes chat with each other", async () => {
      const redis = await startRedis();
      cleanups.push(() => redis.stop());
      const prefix = `b${process.pid}`;
      const nodes: Started[] = [];
      for (const id of ["node0", "node1"]) {
        const node = await startNode(redis.url, id, prefix, { websocket: { port: 0, webClient } });
        cleanups.push(() => node.stop());
        nodes.push(node);
      }
      const context = await newContext();
      const [gina, hank] = [await openChat(context, wsPort((nodes[0] as Started).server), "gina", "#mesh"), await openChat(context, wsPort((nodes[1] as Started).server), "hank", "#mesh")] as [Page, Page];
      await memberShown(gina, "hank");
      await memberShown(hank, "gina");
      await say(gina, "hello from node0");
      await shown(hank, "hello from node0");
      await say(hank, "and back from node1");
      await shown(gina, "and back from node1");
      expect((await talk(gina)).map((message) => message.text)).toEqual(["hello from node0", "and back from node1"]);
      expect((await talk(hank)).map((message) => message.text)).toEqual(["hello from node0", "and back from node1"]);
    });
  });

  test("SASL from the login form: the page's user is logged in to its account (WHOIS 330)", async () => {
    const { server, port } = await serve(tempDir());
    const owner = await tcpUser(port, "grace");
    owner.send("NS REGISTER correct-horse-battery");
    await owner.expect(/ 900 /);
    owner.send("QUIT");
    await owner.expect(/^ERROR/);

    const context = await newContext();
    const page = await openChat(context, wsPort(server), "grace", "#accounts", "correct-horse-battery");
    await page.locator("#status", { hasText: "(account grace)" }).waitFor();
    const watcher = await tcpUser(port, "watcher");
    watcher.send("WHOIS grace");
    await watcher.expect(/ 330 watcher grace grace :is logged in as$/);
    await watcher.expect(/ 318 watcher grace /);
  });
});
