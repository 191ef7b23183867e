import { EventEmitter } from "node:events";
import type { IrcMessage } from "@netlab/irc-protocol";
import { ConnectError, IrcConnection, type ConnectOptions } from "./irc-connection.js";
import { commandAction, parseInput } from "./input.js";
import { RecentIds } from "./recent-ids.js";

export interface SessionOptions extends ConnectOptions {
  /** Joined after registering, and the current channel. */
  channel?: string;
  /** Reconnect with backoff when the server goes away (default true). */
  reconnect?: boolean;
  backoffMs?: { initial: number; max: number };
}

export interface SessionEvents {
  /** Every message from the server. */
  message: [IrcMessage];
  /** A note for the user (reconnecting, usage...). */
  note: [string];
  /** The first join is done (or there is no channel to join). */
  ready: [];
  /** The session is over: quit, or the server went away without reconnect. */
  end: [string];
}

/**
 * A chat session over IrcConnection: joins the channel, turns typed lines into commands,
 * remembers its channels and rejoins them after reconnecting with backoff.
 */
export class ChatSession extends EventEmitter<SessionEvents> {
  connection: IrcConnection | undefined;
  current: string | undefined;
  readonly channels = new Set<string>();
  private quitting = false;
  private readyOnce = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Messages already shown, by msgid: history never shows one twice. */
  private readonly shown = new RecentIds();
  /** The last msgid seen in each conversation (channel, or the other nick), by lower-cased name. */
  private readonly lastSeen = new Map<string, string>();
  /** The newest server time seen, for history of conversations with no msgid yet. */
  private lastTime: string | undefined;
  /** Open chathistory batches: their lines are history, not live traffic. */
  private readonly historyBatches = new Set<string>();
  /** True after a reconnect to a server with draft/chathistory: each rejoined channel asks for what it missed. */
  private catchingUp = false;

  constructor(private readonly options: SessionOptions) {
    super();
    this.current = options.channel;
    if (options.channel) this.channels.add(options.channel);
  }

  /** Connects for the first time; rejects with ConnectError when that fails. */
  async start(): Promise<void> {
    await this.connect();
  }

  get nick(): string {
    return this.connection?.nick ?? this.options.nick;
  }

  private async connect(): Promise<void> {
    const connection = await IrcConnection.open(this.options);
    this.connection = connection;
    this.catchingUp = this.readyOnce && connection.caps.has("draft/chathistory");
    // What came before we listened (001 and, read with it, the rest of the welcome and the MOTD), then the rest as it comes.
    for (const message of connection.greeting.splice(0)) this.onMessage(message);
    connection.on("message", (message) => this.onMessage(message));
    connection.on("close", (reason) => this.onClose(reason));
    if (this.channels.size === 0) this.markReady();
    for (const channel of this.channels) connection.send("JOIN", channel);
  }

  /** How many lines one CHATHISTORY request may ask for (CHATHISTORY in 005). */
  private historyLimit(): string {
    const advertised = Number(this.connection?.isupport.get("CHATHISTORY"));
    return String(advertised > 0 ? Math.min(advertised, 1000) : 100);
  }

  /** Asks for what target got since the last message we saw there (or since we last saw anything). */
  private catchUp(target: string): void {
    const last = this.lastSeen.get(target.toLowerCase());
    const ref = last ? `msgid=${last}` : this.lastTime ? `timestamp=${this.lastTime}` : undefined;
    if (ref) this.connection?.send("CHATHISTORY", "LATEST", target, ref, this.historyLimit());
  }

  /** False for a message already shown (same msgid) or our own line replayed from history; remembers the rest. */
  private firstSight(message: IrcMessage, from: string, me: boolean): boolean {
    const { msgid, time, batch } = message.tags ?? {};
    const replayed = batch !== undefined && this.historyBatches.has(batch);
    if (replayed && me) return false;
    if (time && (!this.lastTime || time > this.lastTime)) this.lastTime = time;
    if (!msgid) return true;
    if (this.shown.has(msgid)) return false;
    this.shown.add(msgid);
    const [target = ""] = message.params;
    const conversation = target.toLowerCase() === this.nick.toLowerCase() ? from : target;
    this.lastSeen.set(conversation.toLowerCase(), msgid);
    return true;
  }

  private markReady(): void {
    if (this.readyOnce) return;
    this.readyOnce = true;
    this.emit("ready");
  }

  private onMessage(message: IrcMessage): void {
    const from = (message.prefix ?? "").split("!")[0];
    const me = from === this.nick;
    const [target = ""] = message.params;
    if ((message.command === "PRIVMSG" || message.command === "NOTICE") && from && !this.firstSight(message, from, me)) return;
    if (message.command === "BATCH") {
      const id = target.slice(1);
      if (target.startsWith("+") && message.params[1] === "chathistory") this.historyBatches.add(id);
      else if (target.startsWith("-")) this.historyBatches.delete(id);
    } else if (message.command === "JOIN" && me) {
      this.channels.add(target);
      this.current = target;
      if (this.catchingUp) this.catchUp(target);
      this.markReady();
    } else if ((message.command === "PART" && me) || (message.command === "KICK" && message.params[1] === this.nick)) {
      this.channels.delete(target);
      if (this.current === target) this.current = [...this.channels][0];
    } else if (["403", "405", "471", "473", "474", "475"].includes(message.command)) {
      // A channel we could not join is not one to rejoin.
      this.channels.delete(message.params[1] ?? "");
      if (this.current === message.params[1]) this.current = [...this.channels][0];
      this.markReady();
    }
    this.emit("message", message);
  }

  private onClose(reason: string): void {
    if (this.quitting) {
      this.emit("end", reason);
      return;
    }
    if (this.options.reconnect === false) {
      this.quitting = true;
      this.emit("end", reason);
      return;
    }
    const { initial, max } = this.options.backoffMs ?? { initial: 1_000, max: 30_000 };
    const where = `${this.options.host}:${this.options.port}`;
    const inSeconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
    let delay = initial;
    // The loss is told once, with the server's last word; each failed try then says what failed.
    this.emit("note", `connection to ${where} lost (${reason}); reconnecting in ${inSeconds(delay)}`);
    const attempt = (): void => {
      this.retryTimer = setTimeout(() => {
        this.connect().then(
          () => this.emit("note", `reconnected to ${where} as ${this.nick}`),
          (error: unknown) => {
            if (this.quitting) return;
            delay = Math.min(delay * 2, max);
            const failed = error instanceof ConnectError ? error.reason : String(error);
            this.emit("note", `cannot reconnect to ${where} (${failed}); retrying in ${inSeconds(delay)}`);
            attempt();
          },
        );
      }, delay);
    };
    attempt();
  }

  /** Handles one typed line; resolves true when it quit the session. */
  async type(line: string): Promise<boolean> {
    const input = parseInput(line);
    const connection = this.connection;
    if (input.kind === "quit") {
      await this.quit(input.reason || "bye");
      return true;
    }
    if (!connection || connection.closed) {
      this.emit("note", "not connected");
      return false;
    }
    if (input.kind === "say") {
      // A line of nothing but spaces says nothing.
      if (!input.text.trim()) return false;
      if (!this.current) this.emit("note", "no current channel: /join one first");
      else connection.say(this.current, input.text);
      return false;
    }
    const action = commandAction(input.name, input.args, this.current);
    if ("note" in action) this.emit("note", action.note);
    else {
      const [command = "", ...params] = action.send;
      const [target = "", text = ""] = params;
      const isAction = text.startsWith("\x01ACTION ") && text.endsWith("\x01");
      // Messages too long for one line go as several, as irssi sends them.
      if (command === "PRIVMSG" && params.length === 2) connection.say(target, isAction ? text.slice(8, -1) : text, { action: isAction });
      else connection.send(command, ...params);
      if (action.channel) this.channels.add(action.channel);
    }
    return false;
  }

  async quit(reason = "bye"): Promise<void> {
    this.quitting = true;
    clearTimeout(this.retryTimer);
    if (this.connection && !this.connection.closed) await this.connection.quit(reason);
    else this.emit("end", reason);
  }
}
