import { EventEmitter } from "node:events";
import net from "node:net";
import tls from "node:tls";
import { formatMessage, LineReader, parseMessage, type IrcMessage } from "@netlab/irc-protocol";

export interface ConnectOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** Accept a self-signed certificate (lab servers). */
  insecure?: boolean;
  nick: string;
  user?: string;
  realname?: string;
  password?: string;
  /** Give up on registration after this long. */
  timeoutMs?: number;
}

/** A connection that could not be made or registered. */
export class ConnectError extends Error {
  readonly code: string;
  /** What failed in a few words (`connection refused`), for messages that say where themselves. */
  readonly reason: string;
  constructor(code: string, message: string, reason = message) {
    super(message);
    this.name = "ConnectError";
    this.code = code;
    this.reason = reason;
  }
}

export interface IrcConnectionEvents {
  message: [IrcMessage];
  close: [string];
}

/** How many other nicks we try when ours is taken. */
const maxNickTries = 5;

/** What a failed connect means, in words: `connection refused` rather than `connect ECONNREFUSED 127.0.0.1:6667`. */
const connectReasons: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EPIPE: "connection closed",
};

/** Why a connection failed, in a few words; the error's own message for the rest (TLS errors say it well). */
export function connectFailure(error: NodeJS.ErrnoException): string {
  return (error.code && connectReasons[error.code]) ?? error.message;
}

/** Most messages kept for a caller that does not listen yet (a long MOTD fits). */
const maxGreeting = 1_000;

/** The IRC line limit: 512 bytes with CR LF. */
const ircLineBytes = 512;

/** Our user@host until the server shows it (JOIN): as long as servers make them (USERLEN 10, HOSTLEN 63). */
const unknownUserHost = `${"u".repeat(10)}@${"h".repeat(63)}`;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Splits text into pieces of at most maxBytes bytes of UTF-8 each, as irssi does: never inside
 * a character (nor a grapheme such as an emoji with its modifiers, when one fits), at the last
 * space when there is one in the second half of a piece. The pieces, joined, are the text.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let piece = "";
  let bytes = 0;
  // Where the piece could end at a space: its length in characters and bytes just after it.
  let space: { length: number; bytes: number } | undefined;
  const units = [...segmenter.segment(text)].flatMap(({ segment }) => (Buffer.byteLength(segment) <= maxBytes ? [segment] : [...segment]));
  for (const unit of units) {
    const size = Buffer.byteLength(unit);
    if (bytes + size > maxBytes) {
      if (space && space.bytes > maxBytes / 2) {
        pieces.push(piece.slice(0, space.length));
        piece = piece.slice(space.length);
        bytes -= space.bytes;
      } else {
        pieces.push(piece);
        piece = "";
        bytes = 0;
      }
      space = undefined;
    }
    piece += unit;
    bytes += size;
    if (unit === " ") space = { length: piece.length, bytes };
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** IRCv3 capabilities we ask for when the server offers them: times, msgids and history. */
const wantedCaps = ["server-time", "message-tags", "batch", "draft/chathistory"];

/** Longest line we take from a server: 8191 bytes of IRCv3 tags plus a 512-byte message. */
const maxLineBytes = 8191 + 512;

/**
 * One IRC session: connects, registers (trying another nick on 433), answers PING, and
 * emits each message. Works with any RFC 1459/2812 server.
 */
export class IrcConnection extends EventEmitter<IrcConnectionEvents> {
  nick: string;
  /**
   * What the server sent before anyone listened for messages (up to 001, and what came after
   * it until a listener was added: the rest of the welcome, MOTD), for showing then.
   */
  readonly greeting: IrcMessage[] = [];
  /** IRCv3 capabilities the server acknowledged. */
  readonly caps = new Set<string>();
  /** ISUPPORT (005) tokens: name -> value ("" when it has none). */
  readonly isupport = new Map<string, string>();
  /** Our `user@host` as others see it, once the server has shown it (our JOIN, CHGHOST). */
  userhost: string | undefined;
  private readonly reader = new LineReader(maxLineBytes);
  private closedReason: string | undefined;

  private constructor(private readonly socket: net.Socket, nick: string) {
    super();
    this.nick = nick;
  }

  static async open(options: ConnectOptions): Promise<IrcConnection> {
    const socket = options.tls
      ? tls.connect({ host: options.host, port: options.port, servername: net.isIP(options.host) ? undefined : options.host, rejectUnauthorized: !options.insecure })
      : net.connect({ host: options.host, port: options.port });
    const connection = new IrcConnection(socket, options.nick);
    await connection.register(options);
    return connection;
  }

  private async register(options: ConnectOptions): Promise<void> {
    const { socket } = this;
    socket.setNoDelay(true);
    let tries = 0;
    let offered: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const fail = (error: ConnectError): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timeoutMs = options.timeoutMs ?? 15_000;
      const timer = setTimeout(() => fail(new ConnectError("ETIMEDOUT", `no welcome from ${options.host}:${options.port} within ${timeoutMs} ms`, `no welcome within ${timeoutMs} ms`)), timeoutMs);
      socket.once("error", (error: NodeJS.ErrnoException) => {
        const reason = connectFailure(error);
        fail(new ConnectError(error.code ?? "ECONNECT", `cannot connect to ${options.host}:${options.port}: ${reason}`, reason));
      });
      // Closed before the welcome without an ERROR (reset, or a server that is not IRC).
      const closedEarly = (): void => fail(new ConnectError("ECLOSED", `${options.host}:${options.port} closed the connection before the welcome`, "closed before the welcome"));
      const onMessage = (message: IrcMessage): void => {
        this.greeting.push(message);
        if (message.command === "001") {
          this.nick = message.params[0] ?? this.nick;
          clearTimeout(timer);
          this.off("message", onMessage);
          socket.removeAllListeners("error");
          socket.off("close", closedEarly);
          socket.on("error", (error) => (this.closedReason = error.message));
          resolve();
        } else if (message.command === "432") {
          // Erroneous nickname: another suffix would not help.
          const reason = message.params.at(-1) ?? "";
          fail(new ConnectError("EINVALIDNICK", `the server refused the nick ${JSON.stringify(message.params[1] ?? this.nick)} as invalid${reason ? `: ${reason}` : ""}`));
        } else if (message.command === "433") {
          if (++tries > maxNickTries) return fail(new ConnectError("ENICK", `nick ${options.nick} and ${maxNickTries} others are taken`));
          // Another nick: the wanted one with a suffix, kept within 9 characters for strict servers.
          this.nick = `${options.nick.slice(0, 7)}_${tries}`;
          this.send("NICK", this.nick);
        } else if (message.command === "CAP") {
          offered = this.negotiate(message, offered);
        } else if (message.command === "464") {
          fail(new ConnectError("EPASSWORD", "the server refused the password"));
        } else if (message.command === "ERROR") {
          fail(new ConnectError("ECLOSED", `the server closed the connection: ${message.params[0] ?? ""}`));
        }
      };
      this.on("message", onMessage);
      socket.once("close", closedEarly);
      // Buffers, framed on bytes: a UTF-8 character split across two reads stays whole.
      socket.on("data", (chunk: Buffer) =>
        this.reader.push(chunk, (event) => {
          if ("line" in event) this.receive(event.line.toString("utf8"));
        }),
      );
      socket.on("close", () => this.emit("close", this.closedReason ?? "connection closed"));
      socket.once(options.tls ? "secureConnect" : "connect", () => {
        // Servers without IRCv3 answer 421 or nothing; registration goes on either way.
        this.send("CAP", "LS", "302");
        if (options.password) this.send("PASS", options.password);
        this.send("NICK", options.nick);
        this.send("USER", options.user ?? options.nick, "0", "*", options.realname ?? options.nick);
      });
    });
  }

  /** One CAP reply during registration: asks for the wanted capabilities on offer, then ends negotiation. */
  private negotiate(message: IrcMessage, offered: string[]): string[] {
    const [, sub = "", ...rest] = message.params;
    if (sub === "LS") {
      const more = rest.length > 1 && rest[0] === "*";
      const names = (rest.at(-1) ?? "").split(" ").filter(Boolean).map((item) => item.split("=")[0] ?? item);
      const all = [...offered, ...names];
      if (more) return all;
      const wanted = wantedCaps.filter((cap) => all.includes(cap));
      if (wanted.length > 0) this.send("CAP", "REQ", wanted.join(" "));
      else this.send("CAP", "END");
      return all;
    }
    if (sub === "ACK") for (const cap of (rest.at(-1) ?? "").split(" ").filter(Boolean)) this.caps.add(cap);
    if (sub === "ACK" || sub === "NAK") this.send("CAP", "END");
    return offered;
  }

  /** One line from the server (a longer one than maxLineBytes never gets here: it is skipped). */
  private receive(line: string): void {
    const message = parseMessage(line);
    if (!message) return;
    if (message.command === "PING") this.send("PONG", ...message.params);
    const [from, userhost] = (message.prefix ?? "").split(/!(.*)/);
    if (message.command === "NICK" && from === this.nick) this.nick = message.params[0] ?? this.nick;
    if (message.command === "JOIN" && from === this.nick && userhost?.includes("@")) this.userhost = userhost;
    if (message.command === "CHGHOST" && from === this.nick && message.params.length >= 2) this.userhost = `${message.params[0]}@${message.params[1]}`;
    if (message.command === "ERROR") this.closedReason = message.params[0] ?? "ERROR";
    if (message.command === "005") {
      for (const token of message.params.slice(1, -1)) {
        const eq = token.indexOf("=");
        this.isupport.set(eq < 0 ? token : token.slice(0, eq), eq < 0 ? "" : token.slice(eq + 1));
      }
    }
    // The lines that follow 001 in the same read would otherwise be gone before the caller listens.
    if (this.listenerCount("message") === 0) {
      if (this.greeting.length < maxGreeting) this.greeting.push(message);
      return;
    }
    this.emit("message", message);
  }

  /** Sends one command; CR, LF and NUL are removed so no second command can ride along. */
  send(command: string, ...params: string[]): void {
    if (this.socket.destroyed) return;
    const clean = params.map((param) => param.replace(/[\r\n\0]/g, " "));
    this.socket.write(formatMessage({ command, params: clean }) + "\r\n");
  }

  /**
   * Sends text to target (a channel or a nick) as PRIVMSGs, as many as it takes: each line the
   * server relays, with our `nick!user@host` in front, fits in 512 bytes. Returns how many.
   */
  say(target: string, text: string, options: { action?: boolean } = {}): number {
    const [before, after] = options.action ? ["\x01ACTION ", "\x01"] : ["", ""];
    const overhead = Buffer.byteLength(`:${this.nick}!${this.userhost ?? unknownUserHost} PRIVMSG ${target} :${before}${after}\r\n`);
    const pieces = splitUtf8(text.replace(/[\r\n\0]/g, " "), Math.max(ircLineBytes - overhead, 1));
    for (const piece of pieces) this.send("PRIVMSG", target, `${before}${piece}${after}`);
    return pieces.length;
  }

  /** Sends QUIT and waits (briefly) for the server to close. */
  async quit(reason = "bye", waitMs = 2_000): Promise<void> {
    if (this.socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.socket.once("close", () => resolve()));
    this.send("QUIT", reason);
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), waitMs);
    await closed;
    clearTimeout(timer);
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
