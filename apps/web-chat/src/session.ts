import { foldName } from "./casemap.js";
import { ChatBuffer, isTalk, type ChatMessage, type MessageKind } from "./chat-buffer.js";
import { formatCtcp, parseCtcp } from "./ctcp.js";
import { Emitter } from "./emitter.js";
import { HistoryRequests, type HistoryKind, type OpenBatch } from "./history-requests.js";
import { parseTypedLine } from "./input-commands.js";
import { messageRoom, splitText } from "./line-split.js";
import { applyPrefixChange, prefixChanges } from "./mode-changes.js";
import { Registration, type Phase } from "./registration.js";
import { applyIsupport, defaultSupport, isChannel, type ServerSupport } from "./server-support.js";
import { runUserCommand } from "./user-commands.js";
import { formatMessage, parseMessage, type IrcMessage } from "./vendor/irc-protocol-message.js";

export interface SessionOptions {
  nick: string;
  /** Logs in with SASL PLAIN when given. */
  password?: string;
  /** The account to log in to (the nick by default). */
  account?: string;
  realname?: string;
  /** The server buffer's name until the server tells its NETWORK. */
  serverName?: string;
  /** Joined once registered, and again after each reconnect. */
  channels?: readonly string[];
  /** Messages per CHATHISTORY request when joining or scrolling back (50). */
  historyPage?: number;
  /** Messages per CHATHISTORY AFTER request when catching up after a reconnect (200). */
  catchUpPage?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export type SessionEvents = {
  /** Registration, nick, account, capabilities or the network's name changed. */
  status: [];
  /** Buffers were added, removed or renamed, unread counts changed, or another one is active. */
  buffers: [];
  /** A buffer's messages or history state changed; older: messages were added above the oldest. */
  messages: [key: string, older: boolean];
  members: [key: string];
  topic: [key: string];
  /** The user quit: the connection should close for good. */
  quit: [reason: string];
};

/** Where the server's own messages go. */
export const serverKey = "*";

/** AFTER requests one catch-up may chain (page after page) before it stops. */
const maxCatchUpPages = 10;

const nickOf = (prefix: string | undefined): string => (prefix ?? "").split("!")[0] ?? "";

function parseServerTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : undefined;
}

/** IRC says nothing about CR, LF or NUL in a parameter: they would end or break the line. */
const clean = (text: string): string => text.replace(/[\r\n\0]/g, " ");

/**
 * One user's IRC session, without the DOM or the socket: fed the lines the server sends,
 * it sends lines through `send` and keeps the state the page shows (buffers with their
 * messages, members, topics and unread counts). Views subscribe to its events.
 */
export class Session extends Emitter<SessionEvents> {
  readonly buffers = new Map<string, ChatBuffer>();
  support: ServerSupport = defaultSupport();
  nick: string;
  /** Why the last login or nick choice failed, for the status line. */
  problem: string | undefined;
  active = serverKey;
  /** The page is visible and focused: messages in the active buffer are read as they come. */
  private attending = true;
  /** The nick the user chose: taken back when it frees up after a reconnect gave another. */
  desiredNick: string;
  private readonly registration: Registration;
  /** Channels to be on: the form's, then what /join and /part change. Folded name -> name. */
  private readonly wanted = new Map<string, string>();
  /** Channels the user asked to join: shown when the server says they are joined. */
  private readonly focusOnJoin = new Set<string>();
  private registeredBefore = false;
  private readonly pendingNames = new Map<string, Map<string, string>>();
  private readonly history = new HistoryRequests();
  private readonly markTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private seq = 0;
  /** Below every seq given so far: older history goes before messages of the same millisecond. */
  private olderSeq = 0;
  /** The newest server time seen: where the catch-up of conversations we did not know starts. */
  private lastTime: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly options: SessionOptions,
    private readonly send: (line: string) => void,
  ) {
    super();
    this.nick = options.nick;
    this.desiredNick = options.nick;
    this.now = options.now ?? Date.now;
    for (const channel of options.channels ?? []) if (channel) this.wanted.set(this.fold(channel), channel);
    this.registration = new Registration(options, {
      send: (command, ...params) => this.sendCommand(command, ...params),
      problem: (text) => {
        this.problem = text;
        this.note(this.serverBuffer(), "error", text);
        this.emit("status");
      },
      changed: () => this.emit("status"),
    });
    this.buffers.set(serverKey, new ChatBuffer(serverKey, options.serverName ?? "server", "server"));
  }

  get phase(): Phase {
    return this.registration.phase;
  }

  get registered(): boolean {
    return this.phase === "registered";
  }

  /** Capabilities enabled on this connection. */
  get caps(): ReadonlySet<string> {
    return this.registration.caps;
  }

  /** The account logged in to (SASL), if any. */
  get account(): string | undefined {
    return this.registration.account;
  }

  /** CHATHISTORY can be used: the server offers it and batches its answers. */
  get hasHistory(): boolean {
    return this.caps.has("draft/chathistory") && this.caps.has("batch");
  }

  /** The channels to rejoin, as the user spelled them: what the login form remembers. */
  wantedChannels(): string[] {
    return [...this.wanted.values()];
  }

  fold(name: string): string {
    return foldName(name, this.support.casemapping);
  }

  isMe(nick: string): boolean {
    return this.fold(nick) === this.fold(this.nick);
  }

  /** Buffers in the order the list shows them: the server, channels, then queries, each by name. */
  bufferList(): ChatBuffer[] {
    const rank = { server: 0, channel: 1, query: 2 } as const;
    return [...this.buffers.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || a.key.localeCompare(b.key));
  }

  // --- from the connection -------------------------------------------------------------

  /** The socket is open: register (CAP LS 302, NICK, USER; SASL before CAP END). */
  connected(): void {
    this.problem = undefined;
    this.nick = this.desiredNick;
    this.registration.start(this.nick, this.options.realname ?? "netlab web-chat");
    this.emit("status");
  }

  /** The socket closed: nothing is joined; the buffers and their messages stay for the catch-up. */
  disconnected(): void {
    if (this.phase === "offline") return;
    this.registration.stop();
    this.history.clear();
    this.pendingNames.clear();
    for (const timer of this.markTimers.values()) clearTimeout(timer);
    this.markTimers.clear();
    for (const buffer of this.buffers.values()) {
      buffer.loadingHistory = false;
      if (buffer.kind !== "channel") continue;
      buffer.joined = false;
      buffer.members.clear();
      this.emit("members", buffer.key);
    }
    this.note(this.serverBuffer(), "info", "Disconnected.");
    this.emit("status");
  }

  /** The connection has been quiet for a while: a PING shows whether it is still there. */
  keepAlive(): void {
    if (this.phase !== "offline") this.sendCommand("PING", "web-chat");
  }

  /** One line from the server. */
  receive(line: string): void {
    const message = parseMessage(line);
    if (!message) return;
    const batchId = message.tags?.batch;
    const batch = batchId === undefined ? undefined : this.history.collecting(batchId);
    if (batch && message.command !== "BATCH") {
      batch.lines.push(message);
      return;
    }
    this.handle(message);
  }

  // --- from the user -------------------------------------------------------------------

  /** The user looks at buffer key now. */
  activate(key: string): void {
    if (!this.buffers.has(key)) return;
    this.active = key;
    this.markRead(key);
    this.emit("buffers");
  }

  /** The page became visible and focused, or stopped being so. */
  setAttending(attending: boolean): void {
    this.attending = attending;
    if (attending) this.markRead(this.active);
  }

  /**
   * Handles what was typed in the active buffer, line by line. False when nothing could be
   * sent because the session is not registered (the text should stay in the input box).
   */
  submit(text: string): boolean {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
    if (lines.length === 0) return true;
    if (!this.registered) {
      if (lines.some((line) => /^\/quit\b/i.test(line))) {
        this.quit("");
        return true;
      }
      this.note(this.activeBuffer(), "error", "Not connected: nothing was sent.");
      return false;
    }
    for (const line of lines) {
      const typed = parseTypedLine(line);
      if (typed.kind === "say") this.say(this.activeBuffer(), typed.text);
      else runUserCommand(this, typed.name, typed.args);
    }
    return true;
  }

  /** Asks for the 50 messages before the oldest one a buffer has; false when there is nothing to ask. */
  loadOlder(key: string): boolean {
    const buffer = this.buffers.get(key);
    if (!buffer || !this.registered || !this.hasHistory || buffer.kind === "server") return false;
    if (buffer.loadingHistory || buffer.historyExhausted || (buffer.kind === "channel" && !buffer.joined)) return false;
    const oldest = buffer.oldestInHistory();
    const oldestTalk = buffer.messages.find(isTalk);
    if (oldest) this.requestHistory(buffer, "before", `msgid=${oldest.msgid}`);
    else if (oldestTalk) this.requestHistory(buffer, "before", `timestamp=${new Date(oldestTalk.time).toISOString()}`);
    else this.requestHistory(buffer, "latest", "*");
    return true;
  }

  /** Opens (or shows) the private conversation with nick. */
  openQuery(nick: string): ChatBuffer {
    const buffer = this.ensureBuffer(nick, "query");
    this.activate(buffer.key);
    return buffer;
  }

  /** Parts a channel, or closes a query; the server buffer stays. */
  close(key: string, reason = ""): void {
    const buffer = this.buffers.get(key);
    if (!buffer || buffer.kind === "server") return;
    if (buffer.kind === "channel") {
      this.wanted.delete(buffer.key);
      if (buffer.joined && this.registered) {
        this.sendCommand("PART", buffer.name, ...(reason ? [reason] : []));
        return;
      }
    }
    this.removeBuffer(buffer.key);
  }

  /** Joins channels (shown once joined), or shows one already joined. */
  join(channels: readonly string[], key?: string): void {
    const names = channels.map((channel) => (isChannel(this.support, channel) ? channel : `#${channel}`));
    const toJoin: string[] = [];
    for (const channel of names) {
      const folded = this.fold(channel);
      this.wanted.set(folded, channel);
      if (this.buffers.get(folded)?.joined) this.activate(folded);
      else {
        this.focusOnJoin.add(folded);
        toJoin.push(channel);
      }
    }
    if (toJoin.length > 0) this.sendCommand("JOIN", toJoin.join(","), ...(key ? [key] : []));
  }

  /** Asks the server for another nick, and keeps asking for it after reconnects. */
  changeNick(nick: string): void {
    this.desiredNick = nick;
    this.sendCommand("NICK", nick);
  }

  /** Says goodbye to the server; the connection should close for good. */
  quit(reason: string): void {
    if (this.registered) this.sendCommand("QUIT", reason || "web-chat");
    this.registration.stop();
    this.emit("quit", reason);
  }

  /** Sends a line typed by the user as it is (/quote). */
  sendRaw(line: string): void {
    this.send(clean(line));
  }

  /** The buffer of a channel, made when there is none yet. */
  channelBuffer(name: string): ChatBuffer {
    return this.ensureBuffer(name, "channel");
  }

  /** Sends text to a channel or query, split to fit, and shows it unless the server echoes it. */
  say(buffer: ChatBuffer, text: string, action = false): void {
    if (buffer.kind === "server") {
      this.note(buffer, "error", "This is the server's buffer: /join #channel or /msg nick text.");
      return;
    }
    if (buffer.kind === "channel" && !buffer.joined) {
      this.note(buffer, "error", `You are not on ${buffer.name}: /join ${buffer.name}`);
      return;
    }
    this.sendText("PRIVMSG", buffer.name, text, action);
    this.markRead(buffer.key);
  }

  sendText(command: "PRIVMSG" | "NOTICE", target: string, text: string, action = false): void {
    const pieces = splitText(clean(text), messageRoom(this.nick, command, target, action));
    for (const piece of pieces) {
      this.sendCommand(command, target, action ? formatCtcp("ACTION", piece) : piece);
      if (this.caps.has("echo-message")) continue;
      const buffer = this.buffers.get(this.fold(target));
      if (buffer) this.addLive(buffer, this.message({}, action ? "action" : command === "NOTICE" ? "notice" : "privmsg", this.nick, piece, { self: true }));
    }
  }

  // --- IRC lines -----------------------------------------------------------------------

  private handle(message: IrcMessage): void {
    const { command, params } = message;
    const from = nickOf(message.prefix);
    switch (command) {
      case "PING":
        return this.sendCommand("PONG", params[0] ?? "");
      case "CAP":
        return this.registration.onCap(params);
      case "AUTHENTICATE":
        return this.registration.onAuthenticate(params, this.desiredNick);
      case "BATCH":
        return this.onBatch(message);
      case "PRIVMSG":
      case "NOTICE":
        return this.onText(message, from);
      case "JOIN":
        return this.onJoin(message, from);
      case "PART":
        return this.onPart(message, from);
      case "KICK":
        return this.onKick(message, from);
      case "QUIT":
        return this.onQuit(message, from);
      case "NICK":
        return this.onNick(message, from);
      case "TOPIC": {
        const buffer = this.buffers.get(this.fold(params[0] ?? ""));
        if (!buffer) return;
        buffer.topic = params[1] ?? "";
        this.emit("topic", buffer.key);
        return this.addLive(buffer, this.message(message, "topic", from, buffer.topic ? `changed the topic to: ${buffer.topic}` : "cleared the topic"));
      }
      case "MODE":
        return this.onMode(message, from);
      case "AWAY":
        return this.onAway(from, params.length > 0);
      case "MARKREAD":
        return this.onMarkRead(params);
      case "ACK":
        return this.finishRequest(message.tags?.label, undefined);
      case "FAIL":
        // A failed history request only ends the loading: the buffer shows there is no more.
        if (params[0] === "CHATHISTORY") return this.finishRequest(message.tags?.label, params[3]);
        return this.note(this.activeBuffer(), "error", params.slice(-1)[0] ?? "Failed");
      case "ERROR":
        return this.note(this.serverBuffer(), "error", params[0] ?? "Closing link");
    }
    if (/^\d{3}$/.test(command)) this.onNumeric(message);
  }

  private onNumeric(message: IrcMessage): void {
    const { command, params } = message;
    const text = params.slice(1).join(" ");
    if (this.registration.onNumeric(command, params)) return;
    switch (command) {
      case "001":
        return this.onWelcome(params[0] ?? this.nick, text);
      case "005":
        applyIsupport(this.support, params.slice(1, -1));
        if (this.support.network) this.serverBuffer().name = this.support.network;
        this.emit("buffers");
        return this.emit("status");
      case "432":
      case "433":
        if (this.registered) break;
        this.nick = this.nextNick(params[1] ?? this.nick, command === "432");
        this.sendCommand("NICK", this.nick);
        return this.emit("status");
      case "331":
      case "332": {
        const buffer = this.buffers.get(this.fold(params[1] ?? ""));
        if (!buffer) break;
        buffer.topic = command === "332" ? (params[2] ?? "") : "";
        this.emit("topic", buffer.key);
        if (buffer.topic) this.note(buffer, "topic", `Topic: ${buffer.topic}`);
        return;
      }
      case "333":
        return;
      case "366":
        return this.endNames(params[1] ?? "");
      case "353":
        return this.addNames(params[2] ?? "", params[3] ?? "");
    }
    const code = Number(command);
    // 422 (no MOTD) is no error of the user's.
    if (code >= 400 && code < 600 && code !== 422) {
      const named = this.buffers.get(this.fold(params[1] ?? ""));
      return this.note(named ?? this.activeBuffer(), "error", text);
    }
    this.addLive(this.serverBuffer(), this.message(message, "info", "", text));
  }

  /** nick_ after nick in use, nick__ after that; a guest nick when the server refuses the nick itself. */
  private nextNick(refused: string, invalid: boolean): string {
    if (invalid || refused.length >= this.desiredNick.length + 3) {
      this.problem = invalid ? `The nick ${refused} is not allowed here.` : undefined;
      return `web${Math.floor(1000 + Math.random() * 9000)}`;
    }
    return `${refused}_`;
  }

  private onWelcome(nick: string, text: string): void {
    const reconnected = this.registeredBefore;
    this.registration.welcomed();
    this.registeredBefore = true;
    this.nick = nick;
    this.note(this.serverBuffer(), "info", text);
    this.emit("status");
    if (this.wanted.size > 0) {
      // The first channel of the form is the one shown first.
      const [first] = this.wanted.keys();
      if (!reconnected && first !== undefined) this.focusOnJoin.add(first);
      this.joinChannels([...this.wanted.values()]);
    }
    if (!reconnected || !this.hasHistory) return;
    // Private conversations: what each one missed, then any new ones since the last message seen.
    for (const buffer of this.buffers.values()) {
      if (buffer.kind !== "query") continue;
      const newest = buffer.newestInHistory();
      if (newest) this.requestHistory(buffer, "after", `msgid=${newest.msgid}`);
    }
    if (this.lastTime !== undefined) {
      const from = new Date(this.lastTime).toISOString();
      const to = new Date(Math.max(this.now(), this.lastTime) + 86_400_000).toISOString();
      this.sendCommand("CHATHISTORY", "TARGETS", `timestamp=${from}`, `timestamp=${to}`, "50");
    }
  }

  /** JOIN lines of at most about 400 bytes each. */
  private joinChannels(channels: string[]): void {
    let batch: string[] = [];
    for (const channel of channels) {
      if (batch.length > 0 && [...batch, channel].join(",").length > 400) {
        this.sendCommand("JOIN", batch.join(","));
        batch = [];
      }
      batch.push(channel);
    }
    if (batch.length > 0) this.sendCommand("JOIN", batch.join(","));
  }

  private onText(message: IrcMessage, from: string): void {
    const [rawTarget = "", body = ""] = message.params;
    // STATUSMSG (@#channel): a message to the channel's operators only.
    const target = this.support.prefixSymbols.includes(rawTarget[0] ?? "") && isChannel(this.support, rawTarget.slice(1)) ? rawTarget.slice(1) : rawTarget;
    const notice = message.command === "NOTICE";
    const self = from !== "" && this.isMe(from);
    const fromServer = !message.prefix || !message.prefix.includes("!");
    const ctcp = parseCtcp(body);
    if (ctcp && ctcp.command !== "ACTION") {
      if (!notice && !self) this.answerCtcp(from, ctcp.command, ctcp.text);
      return;
    }
    let buffer: ChatBuffer;
    if (isChannel(this.support, target)) buffer = this.ensureBuffer(target, "channel");
    else if (!from || (notice && (fromServer || !this.registered))) buffer = this.serverBuffer();
    else if (notice && !self && !this.buffers.has(this.fold(from))) buffer = this.serverBuffer();
    else buffer = this.ensureBuffer(self ? target : from, "query");
    const kind: MessageKind = ctcp ? "action" : notice ? "notice" : "privmsg";
    const text = ctcp ? ctcp.text : body;
    this.addLive(buffer, this.message(message, kind, fromServer && !from ? "" : from, text, { self, mention: !self && this.mentions(buffer, text) }));
  }

  private answerCtcp(from: string, query: string, args: string): void {
    const answer = query === "VERSION" ? "netlab web-chat" : query === "PING" ? args : query === "TIME" ? new Date(this.now()).toString() : undefined;
    if (answer !== undefined) this.sendCommand("NOTICE", from, formatCtcp(query, answer));
  }

  private mentions(buffer: ChatBuffer, text: string): boolean {
    if (buffer.kind === "query") return true;
    const escaped = this.nick.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^\\w-])${escaped}($|[^\\w-])`, "i").test(text);
  }

  private onJoin(message: IrcMessage, from: string): void {
    const channel = message.params[0] ?? "";
    const buffer = this.ensureBuffer(channel, "channel");
    if (this.isMe(from)) {
      buffer.name = channel;
      buffer.joined = true;
      buffer.members.clear();
      buffer.historyExhausted = false;
      this.wanted.set(buffer.key, channel);
      if (this.focusOnJoin.delete(buffer.key)) this.activate(buffer.key);
      this.emit("buffers");
      if (this.hasHistory) {
        const newest = buffer.newestInHistory();
        if (newest) this.requestHistory(buffer, "after", `msgid=${newest.msgid}`);
        else this.requestHistory(buffer, "latest", "*");
      }
    }
    buffer.members.set(this.fold(from), { nick: from, prefixes: "", away: false });
    this.emit("members", buffer.key);
    this.addLive(buffer, this.message(message, "join", from, `joined ${channel}`, { self: this.isMe(from) }));
  }

  private onPart(message: IrcMessage, from: string): void {
    const [channel = "", reason = ""] = message.params;
    const buffer = this.buffers.get(this.fold(channel));
    if (!buffer) return;
    if (this.isMe(from)) {
      this.wanted.delete(buffer.key);
      this.removeBuffer(buffer.key);
      return;
    }
    buffer.members.delete(this.fold(from));
    this.emit("members", buffer.key);
    this.addLive(buffer, this.message(message, "part", from, `left ${buffer.name}${reason ? ` (${reason})` : ""}`));
  }

  private onKick(message: IrcMessage, from: string): void {
    const [channel = "", victim = "", reason = ""] = message.params;
    const buffer = this.buffers.get(this.fold(channel));
    if (!buffer) return;
    buffer.members.delete(this.fold(victim));
    if (this.isMe(victim)) {
      buffer.joined = false;
      buffer.members.clear();
      this.wanted.delete(buffer.key);
      this.emit("buffers");
    }
    this.emit("members", buffer.key);
    this.addLive(buffer, this.message(message, "kick", from, `removed ${victim} from ${buffer.name}${reason ? ` (${reason})` : ""}`, { mention: this.isMe(victim) }));
  }

  private onQuit(message: IrcMessage, from: string): void {
    const key = this.fold(from);
    const reason = message.params[0] ?? "";
    for (const buffer of this.buffers.values()) {
      if (!buffer.members.delete(key) && !(buffer.kind === "query" && buffer.key === key)) continue;
      this.emit("members", buffer.key);
      this.addLive(buffer, this.message(message, "quit", from, `quit${reason ? ` (${reason})` : ""}`));
    }
    if (key === this.fold(this.desiredNick) && !this.isMe(from) && this.registered) this.sendCommand("NICK", this.desiredNick);
  }

  private onNick(message: IrcMessage, from: string): void {
    const to = message.params[0] ?? "";
    const oldKey = this.fold(from);
    const self = this.isMe(from);
    if (self) {
      this.nick = to;
      this.desiredNick = to;
      this.emit("status");
    }
    const text = `is now known as ${to}`;
    for (const buffer of this.buffers.values()) {
      const member = buffer.members.get(oldKey);
      if (member) {
        buffer.members.delete(oldKey);
        buffer.members.set(this.fold(to), { ...member, nick: to });
        this.emit("members", buffer.key);
      } else if (!(buffer.kind === "query" && buffer.key === oldKey)) continue;
      this.addLive(buffer, this.message(message, "nick", from, text, { self }));
    }
    const query = this.buffers.get(oldKey);
    if (!self && query?.kind === "query" && !this.buffers.has(this.fold(to))) this.renameBuffer(query, to);
    if (!self && oldKey === this.fold(this.desiredNick) && !this.isMe(this.desiredNick)) this.sendCommand("NICK", this.desiredNick);
  }

  private onMode(message: IrcMessage, from: string): void {
    const [target = "", modes = "", ...args] = message.params;
    const buffer = this.buffers.get(this.fold(target));
    if (!buffer || buffer.kind !== "channel") {
      this.addLive(this.serverBuffer(), this.message(message, "mode", from, `set mode ${[modes, ...args].join(" ")} on ${target}`));
      return;
    }
    let membersChanged = false;
    for (const change of prefixChanges(modes, args, this.support)) {
      const member = buffer.members.get(this.fold(change.nick));
      if (!member) continue;
      member.prefixes = applyPrefixChange(member.prefixes, change, this.support.prefixSymbols);
      membersChanged = true;
    }
    if (membersChanged) this.emit("members", buffer.key);
    this.addLive(buffer, this.message(message, "mode", from, `set mode ${[modes, ...args].join(" ")}`));
  }

  private onAway(from: string, away: boolean): void {
    const key = this.fold(from);
    for (const buffer of this.buffers.values()) {
      const member = buffer.members.get(key);
      if (!member || member.away === away) continue;
      member.away = away;
      this.emit("members", buffer.key);
    }
  }

  private addNames(channel: string, names: string): void {
    const key = this.fold(channel);
    let pending = this.pendingNames.get(key);
    if (!pending) this.pendingNames.set(key, (pending = new Map()));
    for (const entry of names.split(" ")) {
      if (!entry) continue;
      let split = 0;
      while (split < entry.length && this.support.prefixSymbols.includes(entry[split] as string)) split++;
      // userhost-in-names would add !user@host: the nick is what comes before.
      const nick = entry.slice(split).split("!")[0] ?? "";
      if (nick) pending.set(nick, entry.slice(0, split));
    }
  }

  private endNames(channel: string): void {
    const key = this.fold(channel);
    const pending = this.pendingNames.get(key);
    this.pendingNames.delete(key);
    const buffer = this.buffers.get(key);
    if (!buffer || !pending) return;
    const old = new Map(buffer.members);
    buffer.members.clear();
    for (const [nick, prefixes] of pending) {
      const folded = this.fold(nick);
      buffer.members.set(folded, { nick, prefixes, away: old.get(folded)?.away ?? false });
    }
    this.emit("members", buffer.key);
  }

  private onMarkRead(params: string[]): void {
    const [target = "", value = ""] = params;
    const buffer = this.buffers.get(this.fold(target));
    const time = value.startsWith("timestamp=") ? parseServerTime(value.slice(10)) : undefined;
    if (!buffer || time === undefined) return;
    if (buffer.readMarker !== undefined && buffer.readMarker >= time) return;
    buffer.readMarker = time;
    buffer.recount();
    this.emit("buffers");
  }

  // --- history -------------------------------------------------------------------------

  private requestHistory(buffer: ChatBuffer, kind: HistoryKind, reference: string, page = 0): void {
    const advertised = this.support.chathistoryLimit || Infinity;
    const limit = Math.min(kind === "after" ? (this.options.catchUpPage ?? 200) : (this.options.historyPage ?? 50), advertised);
    const { label } = this.history.add(buffer.key, kind, limit, page);
    buffer.loadingHistory = true;
    const tags = this.caps.has("labeled-response") ? { label } : undefined;
    this.send(formatMessage({ tags, command: "CHATHISTORY", params: [kind.toUpperCase(), buffer.name, reference, String(limit)] }));
    this.emit("messages", buffer.key, false);
  }

  private onBatch(message: IrcMessage): void {
    const [ref = "", type = "", ...params] = message.params;
    const id = ref.slice(1);
    if (ref.startsWith("+")) {
      this.history.openBatch(id, { type, params, label: message.tags?.label, parent: message.tags?.batch });
      return;
    }
    const batch = this.history.closeBatch(id);
    if (batch?.type === "chathistory") this.finishHistory(batch);
    else if (batch?.type === "draft/chathistory-targets") this.finishTargets(batch);
    else if (batch?.type === "labeled-response" && batch.label) this.finishRequest(batch.label, undefined);
  }

  /** A request answered with nothing (ACK, FAIL): the buffer is no longer loading, and has no more. */
  private finishRequest(label: string | undefined, target: string | undefined): void {
    const request = this.history.take(label, target === undefined ? undefined : this.fold(target));
    const buffer = request && this.buffers.get(request.key);
    if (!buffer) return;
    buffer.loadingHistory = this.history.pendingFor(buffer.key);
    if (request.kind !== "after") buffer.historyExhausted = true;
    this.emit("messages", buffer.key, false);
  }

  private finishHistory(batch: OpenBatch): void {
    const target = batch.params[0] ?? "";
    const request = this.history.take(this.history.labelOf(batch), this.fold(target));
    const buffer = this.ensureBuffer(target, isChannel(this.support, target) ? "channel" : "query");
    buffer.loadingHistory = this.history.pendingFor(buffer.key);
    const kind = request?.kind ?? "latest";
    // Messages above the oldest one shown sort before it even when their times are equal.
    let seq = kind === "before" ? (this.olderSeq -= batch.lines.length) : undefined;
    const messages: ChatMessage[] = [];
    for (const line of batch.lines) {
      if (line.command !== "PRIVMSG" && line.command !== "NOTICE") continue;
      const from = nickOf(line.prefix);
      const body = line.params[1] ?? "";
      const ctcp = parseCtcp(body);
      if (ctcp && ctcp.command !== "ACTION") continue;
      const action = ctcp !== undefined;
      const self = this.isMe(from);
      const text = ctcp ? ctcp.text : body;
      messages.push(this.message(line, action ? "action" : line.command === "NOTICE" ? "notice" : "privmsg", from, text, { self, mention: !self && this.mentions(buffer, text), ...(seq === undefined ? {} : { seq: seq++ }) }));
    }
    const added = buffer.add(messages);
    if (kind !== "after" && batch.lines.length < (request?.limit ?? 1)) buffer.historyExhausted = true;
    // What came while we were away is unread; older history is unread only past the read marker.
    this.countUnread(buffer, added, kind === "after" ? "new" : "past-marker");
    this.emit("messages", buffer.key, kind === "before");
    const newest = buffer.newestInHistory();
    if (request && kind === "after" && batch.lines.length >= request.limit && request.page + 1 < maxCatchUpPages && newest) {
      this.requestHistory(buffer, "after", `msgid=${newest.msgid}`, request.page + 1);
    }
  }

  /** CHATHISTORY TARGETS after a reconnect: private conversations that started while we were away. */
  private finishTargets(batch: OpenBatch): void {
    for (const line of batch.lines) {
      const [sub = "", target = ""] = line.params;
      if (line.command !== "CHATHISTORY" || sub !== "TARGETS" || !target || isChannel(this.support, target) || this.isMe(target)) continue;
      if (this.buffers.has(this.fold(target)) || this.lastTime === undefined) continue;
      this.requestHistory(this.ensureBuffer(target, "query"), "after", `timestamp=${new Date(this.lastTime).toISOString()}`);
    }
  }

  // --- buffers and messages ------------------------------------------------------------

  private message(source: { tags?: Record<string, string> }, kind: MessageKind, nick: string, text: string, extra: { self?: boolean; mention?: boolean; seq?: number } = {}): ChatMessage {
    const seq = extra.seq ?? ++this.seq;
    const msgid = source.tags?.msgid;
    const time = parseServerTime(source.tags?.time) ?? this.now();
    if (source.tags?.time && (this.lastTime === undefined || time > this.lastTime)) this.lastTime = time;
    const message: ChatMessage = { id: msgid ?? `local-${seq}`, time, seq, kind, nick, text, self: extra.self ?? false, mention: extra.mention ?? false };
    if (msgid) message.msgid = msgid;
    const account = source.tags?.account;
    if (account) message.account = account;
    return message;
  }

  /** A note from the client itself (errors, help) in a buffer. */
  note(buffer: ChatBuffer, kind: MessageKind, text: string): void {
    this.addLive(buffer, this.message({}, kind, "", text));
  }

  private addLive(buffer: ChatBuffer, message: ChatMessage): void {
    const added = buffer.add([message]);
    if (added.length === 0) return;
    this.countUnread(buffer, added, "new");
    this.emit("messages", buffer.key, false);
  }

  private countUnread(buffer: ChatBuffer, added: readonly ChatMessage[], rule: "new" | "past-marker"): void {
    const talk = added.filter((message) => isTalk(message) && !message.self);
    if (talk.length === 0) return;
    if (this.attending && buffer.key === this.active) {
      this.scheduleMarkRead(buffer.key);
      return;
    }
    let changed = false;
    for (const message of talk) {
      if (buffer.readMarker !== undefined ? message.time <= buffer.readMarker : rule === "past-marker") continue;
      buffer.unread++;
      if (message.mention) buffer.mentions++;
      changed = true;
    }
    if (changed) this.emit("buffers");
  }

  /** Clears a buffer's unread count and moves its read marker (draft/read-marker) to its newest message. */
  private markRead(key: string): void {
    const buffer = this.buffers.get(key);
    if (!buffer) return;
    if (buffer.unread > 0 || buffer.mentions > 0) {
      buffer.unread = 0;
      buffer.mentions = 0;
      this.emit("buffers");
    }
    this.scheduleMarkRead(key);
  }

  /** Read markers go out a second after the reading, once for a burst of messages. */
  private scheduleMarkRead(key: string): void {
    if (!this.caps.has("draft/read-marker") || this.markTimers.has(key)) return;
    this.markTimers.set(
      key,
      setTimeout(() => {
        this.markTimers.delete(key);
        this.sendReadMarker(key);
      }, 1000),
    );
  }

  private sendReadMarker(key: string): void {
    const buffer = this.buffers.get(key);
    const newest = buffer?.messages.findLast((message) => isTalk(message) && message.msgid !== undefined);
    if (!buffer || buffer.kind === "server" || !newest || !this.registered) return;
    if (buffer.readMarker !== undefined && buffer.readMarker >= newest.time) return;
    buffer.readMarker = newest.time;
    this.sendCommand("MARKREAD", buffer.name, `timestamp=${new Date(newest.time).toISOString()}`);
  }

  private ensureBuffer(name: string, kind: "channel" | "query"): ChatBuffer {
    const key = this.fold(name);
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = new ChatBuffer(key, name, kind);
      this.buffers.set(key, buffer);
      this.emit("buffers");
    }
    return buffer;
  }

  private renameBuffer(buffer: ChatBuffer, name: string): void {
    this.buffers.delete(buffer.key);
    const wasActive = this.active === buffer.key;
    buffer.key = this.fold(name);
    buffer.name = name;
    this.buffers.set(buffer.key, buffer);
    if (wasActive) this.active = buffer.key;
    this.emit("buffers");
  }

  private removeBuffer(key: string): void {
    if (!this.buffers.delete(key)) return;
    if (this.active === key) {
      const list = this.bufferList();
      this.active = (list.find((buffer) => buffer.kind === "channel") ?? list[0])?.key ?? serverKey;
    }
    this.emit("buffers");
  }

  serverBuffer(): ChatBuffer {
    return this.buffers.get(serverKey) as ChatBuffer;
  }

  activeBuffer(): ChatBuffer {
    return this.buffers.get(this.active) ?? this.serverBuffer();
  }

  /** Sends one command; the text of PRIVMSG and NOTICE, and CAP's list, always get their colon. */
  sendCommand(command: string, ...params: string[]): void {
    this.send(formatMessage({ command, params: params.map(clean) }, command === "PRIVMSG" || command === "NOTICE" || (command === "CAP" && params[0] === "REQ")));
  }
}
