export type MessageKind = "privmsg" | "action" | "notice" | "join" | "part" | "quit" | "kick" | "nick" | "topic" | "mode" | "info" | "error";

/** One line of a conversation as the user sees it. */
export interface ChatMessage {
  /** Unique in its buffer: the msgid, or a local id for a message without one. */
  id: string;
  msgid?: string;
  /** Milliseconds since the epoch: the server-time tag, or when it arrived. */
  time: number;
  /** Arrival order, for messages of the same time. */
  seq: number;
  kind: MessageKind;
  /** Who sent it or did it; "" for the server. */
  nick: string;
  text: string;
  /** The sender's account (account-tag), when logged in. */
  account?: string;
  /** Sent by this user (from this or another device). */
  self: boolean;
  /** Names this user, or is a private message to them. */
  mention: boolean;
}

/** A channel member: nick and membership prefixes (`@`, `+`), highest first. */
export interface Member {
  nick: string;
  prefixes: string;
  away: boolean;
}

export type BufferKind = "server" | "channel" | "query";

/** Messages the user reads as talk (not joins, modes or server notes): what unread counts count. */
export function isTalk(message: ChatMessage): boolean {
  return message.kind === "privmsg" || message.kind === "action" || message.kind === "notice";
}

/** Most messages a buffer keeps; the oldest go first, and scrolling up fetches them again. */
export const maxBufferMessages = 2000;

/**
 * One conversation: the server's own messages, a channel, or a private query. Messages are
 * kept in time order, each msgid once.
 */
export class ChatBuffer {
  readonly messages: ChatMessage[] = [];
  private readonly ids = new Set<string>();
  /** By folded nick. */
  readonly members = new Map<string, Member>();
  topic = "";
  /** This user is on the channel right now. */
  joined = false;
  unread = 0;
  mentions = 0;
  /** The read marker (draft/read-marker), ms since the epoch. */
  readMarker: number | undefined;
  /** A CHATHISTORY request is answered for this buffer right now. */
  loadingHistory = false;
  /** The server has nothing older than the oldest message here. */
  historyExhausted = false;

  constructor(
    public key: string,
    public name: string,
    readonly kind: BufferKind,
  ) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds messages at their place in time; returns those that were new (by id). */
  add(messages: readonly ChatMessage[]): ChatMessage[] {
    const added: ChatMessage[] = [];
    for (const message of messages) {
      if (this.ids.has(message.id)) continue;
      this.ids.add(message.id);
      this.messages.splice(this.insertionIndex(message), 0, message);
      added.push(message);
    }
    if (this.messages.length > maxBufferMessages) {
      for (const old of this.messages.splice(0, this.messages.length - maxBufferMessages)) this.ids.delete(old.id);
      this.historyExhausted = false;
    }
    return added;
  }

  private insertionIndex(message: ChatMessage): number {
    const after = (other: ChatMessage): boolean => other.time < message.time || (other.time === message.time && other.seq <= message.seq);
    const last = this.messages[this.messages.length - 1];
    if (!last || after(last)) return this.messages.length;
    let low = 0;
    let high = this.messages.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (after(this.messages[mid] as ChatMessage)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * The oldest message the server's history holds (talk with a msgid; a JOIN has a msgid
   * too, but history does not keep it): where CHATHISTORY BEFORE starts.
   */
  oldestInHistory(): ChatMessage | undefined {
    return this.messages.find((message) => message.msgid !== undefined && isTalk(message));
  }

  /** The newest message the server's history holds: where the catch-up (CHATHISTORY AFTER) starts. */
  newestInHistory(): ChatMessage | undefined {
    return this.messages.findLast((message) => message.msgid !== undefined && isTalk(message));
  }

  /** Counts again what is unread: talk by others after the read marker. */
  recount(): void {
    const unread = this.messages.filter((message) => isTalk(message) && !message.self && (this.readMarker === undefined || message.time > this.readMarker));
    this.unread = unread.length;
    this.mentions = unread.filter((message) => message.mention).length;
  }
}
