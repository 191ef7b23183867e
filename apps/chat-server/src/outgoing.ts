import { Cap, tagCaps } from "./capabilities.js";
import { formatMessage, formatTags } from "@netlab/irc-protocol";
import { newMsgid } from "./msgid.js";

/** Tags the server may attach to a message; each goes only to clients with its capability. */
export interface OutgoingTags {
  time?: string;
  msgid?: string;
  account?: string;
  /** The batch a replayed message belongs to (history), for batch clients. */
  batch?: string;
  /** Client-only tags (`+name`) relayed to message-tags clients. */
  client?: Record<string, string>;
  /** Said by a bot (+B): the `bot` tag for message-tags clients. */
  bot?: boolean;
}

/** Commands whose last parameter is free text, written after a colon. */
const textCommands = new Set(["PRIVMSG", "NOTICE", "TOPIC", "KICK", "PART", "QUIT", "AWAY", "KILL", "WALLOPS", "SETNAME"]);

/**
 * One message sent to many clients: rendered once per combination of tag capabilities,
 * so fan-out to 200 members builds at most a few strings.
 */
export class Outgoing {
  private readonly rendered: (Buffer | undefined)[] = [];
  private body: string | undefined;

  constructor(
    readonly prefix: string,
    readonly command: string,
    readonly params: string[],
    readonly tags: OutgoingTags = {},
  ) {}

  /** The line, with CR LF, for a client holding caps. */
  lineFor(caps: number): Buffer {
    const key = this.keyFor(caps);
    let line = this.rendered[key];
    if (line === undefined) {
      line = Buffer.from(this.textFor(caps));
      this.rendered[key] = line;
    }
    return line;
  }

  /** The line as text, not kept: for a message sent to one client only (history replay). */
  textFor(caps: number): string {
    // PART's and REDACT's reasons and an extended JOIN's realname are text too.
    const withText = this.params.length === 3 && (this.command === "JOIN" || this.command === "REDACT");
    const trailing = textCommands.has(this.command) ? this.command !== "PART" || this.params.length > 1 : withText;
    this.body ??= formatMessage({ prefix: this.prefix, command: this.command, params: this.params }, trailing) + "\r\n";
    return this.tagsFor(this.keyFor(caps)) + this.body;
  }

  private keyFor(caps: number): number {
    return caps & (this.tags.batch ? tagCaps | Cap.batch : tagCaps);
  }

  private tagsFor(caps: number): string {
    const tags: Record<string, string> = {};
    const { time, msgid, account, batch, client, bot } = this.tags;
    if (caps & Cap.batch && batch) tags.batch = batch;
    if (caps & Cap.messageTags && client) Object.assign(tags, client);
    if (caps & Cap.messageTags && bot) tags.bot = "";
    if (caps & Cap.accountTag && account) tags.account = account;
    if (caps & Cap.messageTags && msgid) tags.msgid = msgid;
    if (caps & Cap.serverTime && time) tags.time = time;
    return formatTags(Object.keys(tags).length ? tags : undefined);
  }
}

/** Tags for a new message said now: server-time and a fresh msgid. */
export function stamp(account?: string, client?: Record<string, string>, bot?: boolean): OutgoingTags {
  const now = Date.now();
  const tags: OutgoingTags = { time: new Date(now).toISOString(), msgid: newMsgid(now) };
  if (account) tags.account = account;
  if (client) tags.client = client;
  if (bot) tags.bot = true;
  return tags;
}
