import { isUtf8 } from "node:buffer";
import { parseMessage, type IrcMessage } from "@netlab/irc-protocol";
import { Cap } from "./capabilities.js";
import type { CommandContext } from "./commands/context.js";
import { commands } from "./commands/index.js";
import { fail } from "./commands/standard-replies.js";
import type { Connection } from "./connection.js";
import { LabeledResponse, labelOf } from "./labeled-response.js";
import { ERR_INPUTTOOLONG, ERR_NEEDMOREPARAMS, ERR_NOTREGISTERED, ERR_UNKNOWNCOMMAND } from "./numerics.js";

/** Longest line without its tags, CR LF included (RFC 1459). */
export const maxBodyBytes = 512;
/** Longest tag section a line may carry, server tags included (IRCv3 message-tags). */
export const maxTagBytes = 8191;
/** Most tag data a client may send, without the '@' and the space after it (message-tags: 4094). */
const maxClientTagBytes = 4094;

/** Takes the lines a connection sends: checks their size, holds them for flood control, and runs each command. */
export class Dispatcher {
  constructor(
    private readonly context: CommandContext,
    /** Counts a command line taken in. */
    private readonly counted: () => void,
  ) {}

  tooLong(connection: Connection): void {
    this.context.limitHit("line_length", connection);
    this.context.reply(connection, ERR_INPUTTOOLONG);
  }

  /** UTF8ONLY: a line that is not UTF-8 is refused, never relayed (repaired) to others. */
  private notUtf8(connection: Connection, line: Buffer): void {
    const command = parseMessage(line.toString("latin1"))?.command ?? "*";
    fail(this.context, connection, command, "INVALID_UTF8", [], "Message rejected: this network only takes UTF-8");
  }

  /** Takes one raw line (without CR LF): checks its size, decodes it, queues it for flood control. */
  receive(connection: Connection, line: Buffer): void {
    if (connection.closing) return;
    connection.lastActivity = Date.now();
    connection.pingSentAt = 0;
    let bodyStart = 0;
    if (line[0] === 64 /* @ */) {
      const space = line.indexOf(32);
      bodyStart = space < 0 ? line.length : space + 1;
      if (bodyStart - 2 > maxClientTagBytes) return this.tooLong(connection);
    }
    // 510 bytes of content plus the CR LF that LineReader removed.
    if (line.length - bodyStart > maxBodyBytes - 2) return this.tooLong(connection);
    if (this.context.server.utf8Only && !isUtf8(line)) return this.notUtf8(connection, line);
    let text = line.toString("utf8");
    if (text.includes("\0")) text = text.replaceAll("\0", "");
    connection.inbox.push(text);
    this.drain(connection);
  }

  /** Runs queued lines while the connection has flood tokens; the rest wait, and reading pauses. */
  drain(connection: Connection): void {
    while (connection.inbox.length > 0 && !connection.closing && !connection.held) {
      if (!connection.bucket.take()) {
        if (!connection.drainTimer) {
          this.context.limitHit("flood", connection);
          connection.drainTimer = setTimeout(() => {
            connection.drainTimer = undefined;
            this.drain(connection);
          }, connection.bucket.waitMs());
        }
        if (!connection.paused && connection.inbox.length >= 8) {
          connection.paused = true;
          connection.transport.pause(true);
        }
        return;
      }
      this.dispatch(connection, connection.inbox.shift() as string);
    }
    if (connection.paused) {
      connection.paused = false;
      connection.transport.pause(false);
    }
  }

  /** Parses and runs one command line. */
  dispatch(connection: Connection, line: string): void {
    this.counted();
    // A device of another node's user: that node runs its commands.
    if (connection.relay) return connection.relay.send(line);
    const message = parseMessage(line);
    if (!message) return;
    // labeled-response: a client without the capability pays one bit test.
    if (connection.caps & Cap.labeledResponse) {
      const label = labelOf(connection.caps, message.tags);
      if (label !== undefined) return this.runLabeled(connection, message, label);
    }
    this.run(connection, message);
  }

  /** Runs a labeled command, gathering its reply (and the parts answered later) into one labeled response. */
  private runLabeled(connection: Connection, message: IrcMessage, label: string): void {
    const response = new LabeledResponse(connection, label, this.context.server.name);
    try {
      response.within(() => this.run(connection, message));
    } finally {
      response.done();
    }
  }

  /** Runs one parsed command: registration and parameter checks, then its handler. */
  private run(connection: Connection, message: IrcMessage): void {
    const { context } = this;
    const command = commands.get(message.command);
    if (!command) {
      if (/^\d{3}$/.test(message.command)) return;
      if (!connection.registered) return context.reply(connection, ERR_NOTREGISTERED);
      return context.reply(connection, ERR_UNKNOWNCOMMAND, message.command);
    }
    if (!connection.registered && !command.beforeRegistration) return context.reply(connection, ERR_NOTREGISTERED);
    if (message.params.length < command.minParams) return context.reply(connection, ERR_NEEDMOREPARAMS, message.command);
    command.run(context, connection, message);
  }
}
