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
  constructor(code: string, message: string) {
    super(message);
    this.name = "ConnectError";
    this.code = code;
  }
}

export interface IrcConnectionEvents {
  message: [IrcMessage];
  close: [string];
}

/** Longest nick we try when ours is taken (NICKLEN of RFC 2812 servers). */
const maxNickTries = 5;

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
  /** What the server sent up to and including 001, for showing once the caller listens. */
  readonly greeting: IrcMessage[] = [];
  /** IRCv3 capabilities the server acknowledged. */
  readonly caps = new Set<string>();
  /** ISUPPORT (005) tokens: name -> value ("" when it has none). */
  readonly isupport = new Map<string, string>();
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
      const timer = setTimeout(() => fail(new ConnectError("ETIMEDOUT", `no welcome from ${options.host}:${options.port} within ${options.timeoutMs ?? 15_000} ms`)), options.timeoutMs ?? 15_000);
      socket.once("error", (error: NodeJS.ErrnoException) => fail(new ConnectError(error.code ?? "ECONNECT", `cannot connect to ${options.host}:${options.port}: ${error.message}`)));
      const onMessage = (message: IrcMessage): void => {
        this.greeting.push(message);
        if (message.command === "001") {
          this.nick = message.params[0] ?? this.nick;
          clearTimeout(timer);
          this.off("message", onMessage);
          socket.removeAllListeners("error");
          socket.on("error", (error) => (this.closedReason = error.message));
          resolve();
        } else if (message.command === "433" || message.command === "432") {
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
    if (message.command === "NICK" && message.prefix?.split("!")[0] === this.nick) this.nick = message.params[0] ?? this.nick;
    if (message.command === "ERROR") this.closedReason = message.params[0] ?? "ERROR";
    if (message.command === "005") {
      for (const token of message.params.slice(1, -1)) {
        const eq = token.indexOf("=");
        this.isupport.set(eq < 0 ? token : token.slice(0, eq), eq < 0 ? "" : token.slice(eq + 1));
      }
    }
    this.emit("message", message);
  }

  /** Sends one command; CR, LF and NUL are removed so no second command can ride along. */
  send(command: string, ...params: string[]): void {
    if (this.socket.destroyed) return;
    const clean = params.map((param) => param.replace(/[\r\n\0]/g, " "));
    this.socket.write(formatMessage({ command, params: clean }) + "\r\n");
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
