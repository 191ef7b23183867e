import { describe, expect, test } from "vitest";
import { defaultServerUrl, nickProblem, parseChannels, readSavedLogin, saveLogin, serverProblem, storageKey } from "../src/login-fields.js";
import { statusLine } from "../src/status-text.js";

describe("login fields", () => {
  test.each([
    ["alice", undefined],
    ["[bot]_2", undefined],
    ["", "Pick a nick."],
    ["2fast", expect.stringMatching(/does not start with a digit/)],
    ["has space", expect.stringMatching(/letters, digits/)],
    ["x".repeat(31), "A nick has at most 30 characters."],
  ])("nick %j", (nick, problem) => {
    expect(nickProblem(nick)).toEqual(problem);
  });

  test.each([
    ["#a, b #c,,&d", ["#a", "#b", "#c", "&d"]],
    ["", []],
  ])("channels %j", (text, channels) => {
    expect(parseChannels(text)).toEqual(channels);
  });

  test.each([
    [{ protocol: "http:", host: "127.0.0.1:8097", pathname: "/" }, "ws://127.0.0.1:8097/"],
    [{ protocol: "https:", host: "chat.example.org", pathname: "/irc/index.html" }, "wss://chat.example.org/irc/"],
    [{ protocol: "file:", host: "", pathname: "/tmp/index.html" }, "ws://127.0.0.1:8097/"],
  ])("the server of page %j is %s", (page, url) => {
    expect(defaultServerUrl(page)).toBe(url);
  });

  test.each([
    ["ws://127.0.0.1:8097/", undefined],
    ["wss://chat.example.org/", undefined],
    ["http://chat.example.org/", expect.stringMatching(/ws:\/\//)],
    ["nonsense", expect.stringMatching(/not a URL/)],
  ])("server %j", (url, problem) => {
    expect(serverProblem(url)).toEqual(problem);
  });

  test("saved without the password; anything odd in storage is ignored", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) };
    saveLogin(storage, { server: "ws://x/", nick: "alice", channels: ["#a"], ...{ password: "secret" } });
    expect(store.get(storageKey)).not.toMatch(/secret/);
    expect(readSavedLogin(storage)).toEqual({ server: "ws://x/", nick: "alice", channels: ["#a"] });
    store.set(storageKey, "{not json");
    expect(readSavedLogin(storage)).toBeUndefined();
    store.set(storageKey, JSON.stringify({ nick: 5, channels: ["#a", 3] }));
    expect(readSavedLogin(storage)).toEqual({ channels: ["#a"] });
  });
});

describe("statusLine", () => {
  const session = { registered: false, nick: "alice", account: undefined, problem: undefined };
  test.each([
    [{ kind: "connecting" } as const, session, { state: "connecting", text: "Connecting…" }],
    [{ kind: "open" } as const, session, { state: "registering", text: "Logging in…" }],
    [{ kind: "open" } as const, { ...session, registered: true }, { state: "connected", text: "Connected as alice." }],
    [{ kind: "open" } as const, { ...session, registered: true, account: "alice" }, { state: "connected", text: "Connected as alice (account alice)." }],
    [{ kind: "waiting", retryAt: 4200, reason: "connection lost" } as const, session, { state: "reconnecting", text: "Disconnected (connection lost). Reconnecting in 4 s…" }],
    [{ kind: "closed" } as const, session, { state: "closed", text: "Disconnected." }],
  ])("%j", (connection, summary, line) => {
    expect(statusLine(connection, summary, 1000)).toEqual(line);
  });
});
