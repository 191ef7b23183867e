import { Cap } from "./capabilities.js";
import type { ClusterLink } from "./cluster/link.js";
import { partyOf, sourceNick, type HistoryEntry } from "./history.js";
import { LabeledResponse } from "./labeled-response.js";
import type { MonitorRegistry } from "./monitor.js";
import { Outgoing, stamp } from "./outgoing.js";
import type { Change } from "./state/changes.js";
import { peersOf, type Channel, type Session, type User } from "./state/model.js";
import { isChannel } from "./state/network.js";

/** What delivery needs besides the change: where messages are stored, the cluster, a counter. */
export interface DeliveryTargets {
  /** Hands a message to the history store, before any client can see it. */
  store(entry: HistoryEntry): void;
  /** Cluster mode: the other nodes (undefined: one server alone). */
  readonly cluster: ClusterLink | undefined;
  /** Counts a PRIVMSG, NOTICE or TAGMSG accepted here. */
  countMessage(): void;
  /** Registered users of this node (WALLOPS goes to those with +w). */
  localUsers(): Iterable<User>;
  /** Deletes a message from the history store (REDACT). */
  unstore(key: string, msgid: string): void;
  /** MONITOR: the connections watching nicks, told when those come, go or change. */
  readonly monitors: MonitorRegistry;
}

/** The capability a peer needs to hear of each kind of change about a user, and whether the user hears it too. */
const userNews = {
  away: { cap: Cap.awayNotify, self: false },
  account: { cap: Cap.accountNotify, self: false },
  setname: { cap: Cap.setname, self: true },
  chghost: { cap: Cap.chghost, self: true },
} as const;

function send(session: Session, message: Outgoing): void {
  session.send(message.lineFor(session.caps));
}

/** To every connection of user, or only those with cap. */
function toUser(user: User, message: Outgoing, cap = 0): void {
  for (const session of user.sessions) if (!cap || session.caps & cap) send(session, message);
}

/** To the user's own connections and everyone sharing a channel with it. */
function toSelfAndPeers(user: User, peers: Iterable<User>, message: Outgoing): void {
  toUser(user, message);
  for (const peer of peers) toUser(peer, message);
}

/** The sender's own connections: the one it came from only with echo-message, its others always. */
function echo(from: User, origin: Session | undefined, message: Outgoing): void {
  // A TAGMSG only ever goes to connections that understand tags.
  const needs = message.command === "TAGMSG" ? Cap.messageTags : 0;
  for (const session of from.sessions) {
    if ((session !== origin || session.caps & Cap.echoMessage) && (!needs || session.caps & needs)) send(session, message);
  }
}

/** A channel message to its members but the sender, narrowed to an audience; the hot path of every PRIVMSG. */
function toChannel(channel: Channel, message: Outgoing, audience: "all" | "ops" | "tags" | "redaction", except: User | undefined): void {
  const cap = audience === "tags" ? Cap.messageTags : audience === "redaction" ? Cap.messageRedaction : 0;
  const opsOnly = audience === "ops";
  for (const member of channel.members.keys()) {
    if (member === except || (opsOnly && !channel.isOp(member))) continue;
    const { sessions } = member;
    for (let i = 0; i < sessions.length; i++) {
      const session = sessions[i] as Session;
      if (!cap || session.caps & cap) session.send(message.lineFor(session.caps));
    }
  }
}

/** A JOIN to a channel's members; those with extended-join also get the joiner's account and realname. */
function joinToChannel(user: User, channel: Channel, join: Outgoing): void {
  let extended: Outgoing | undefined;
  for (const member of channel.members.keys()) {
    for (const session of member.sessions) {
      if (!(session.caps & Cap.extendedJoin)) send(session, join);
      else send(session, (extended ??= new Outgoing(join.prefix, "JOIN", [join.params[0] ?? "", user.account ?? "*", user.realname], join.tags)));
    }
  }
}

/** What history keeps of a message to target; a private one is filed under its parties (accounts where logged in). */
function historyEntry(message: Outgoing, target: Channel | User): HistoryEntry | undefined {
  const { command, params, tags, prefix } = message;
  if (command !== "PRIVMSG" && command !== "NOTICE") return undefined;
  const entry: HistoryEntry = { msgid: tags.msgid ?? "", time: tags.time ?? "", source: prefix, command, target: params[0] ?? "", text: params[1] ?? "" };
  if (!isChannel(target)) entry.parties = [partyOf(sourceNick(prefix), tags.account), partyOf(target.nick, target.account)];
  return entry;
}

/**
 * Turns each change of the network state into lines for this node's connections (each
 * rendered for its capabilities), history entries, and (for changes made here) news for
 * the other nodes. The one place that fans out, stores and publishes.
 */
export class Delivery {
  constructor(private readonly targets: DeliveryTargets) {}

  readonly apply = (change: Change): void => {
    const { cluster, monitors } = this.targets;
    const local = change.remote === undefined;
    switch (change.kind) {
      case "register":
        monitors.changed(change);
        break;
      case "nick":
        toSelfAndPeers(change.user, peersOf(change.user), change.message);
        monitors.changed(change);
        break;
      case "join": {
        const { user, channel, message } = change;
        joinToChannel(user, channel, message);
        if (user.away !== undefined) {
          const away = new Outgoing(user.mask, "AWAY", [user.away], stamp(user.account));
          for (const member of channel.members.keys()) if (member !== user) toUser(member, away, Cap.awayNotify);
        }
        break;
      }
      case "part":
        // The one leaving sees it too; the channel's members no longer include it.
        toUser(change.user, change.message);
        toChannel(change.channel, change.message, "all", change.user);
        break;
      case "quit":
        for (const peer of change.peers) toUser(peer, change.message);
        monitors.changed(change);
        break;
      case "channel":
        if (change.message) toChannel(change.channel, change.message, "all", undefined);
        break;
      case "invite": {
        const { target, by, channel, message } = change;
        toUser(target, message);
        for (const member of channel.members.keys()) if (member !== by && member !== target) toUser(member, message, Cap.inviteNotify);
        break;
      }
      case "away":
      case "account":
      case "setname":
      case "chghost": {
        const { cap, self } = userNews[change.kind];
        if (self) toUser(change.user, change.message, cap);
        for (const peer of peersOf(change.user)) toUser(peer, change.message, cap);
        monitors.news(change.user, change.message, cap);
        break;
      }
      case "redact":
        this.redact(change, local);
        break;
      case "wallops":
        for (const user of this.targets.localUsers()) if (user.wallops) toUser(user, change.message);
        break;
      case "umode":
        if (change.message) toUser(change.user, change.message);
        break;
      case "message":
        this.message(change, local);
        break;
      case "kill":
        for (const session of change.target.sessions) {
          send(session, change.message);
          session.end(change.reason);
        }
        break;
    }
    cluster?.changed(change);
  };

  private redact(change: Extract<Change, { kind: "redact" }>, local: boolean): void {
    const { from, target, key, msgid, message } = change;
    if (local || this.targets.cluster?.storesRemote) this.targets.unstore(key, msgid);
    if (isChannel(target)) toChannel(target, message, "redaction", from);
    else if (target !== from) toUser(target, message, Cap.messageRedaction);
    // The one who redacted sees it on each of its connections that understand it, the asking one included.
    if (from) toUser(from, message, Cap.messageRedaction);
  }

  private message(change: Extract<Change, { kind: "message" }>, local: boolean): void {
    const { from, origin, target, audience, message } = change;
    if (local) this.targets.countMessage();
    // What only the operators saw stays out of the channel's history.
    if (audience === "all" && (local || this.targets.cluster?.storesRemote)) {
      const entry = historyEntry(message, target);
      if (entry) this.targets.store(entry);
    }
    if (isChannel(target)) toChannel(target, message, audience, from);
    else {
      const cap = message.command === "TAGMSG" ? Cap.messageTags : 0;
      // To oneself: the copy received is no reply to the command; only the echo carries its label (labeled-response).
      if (target === from) LabeledResponse.outside(() => toUser(target, message, cap));
      else toUser(target, message, cap);
    }
    if (from) echo(from, origin, message);
  }
}
