import { Cap } from "./capabilities.js";
import type { ClusterLink } from "./cluster/link.js";
import type { HistoryEntry } from "./history.js";
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
}

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
  for (const session of from.sessions) if (session !== origin || session.caps & Cap.echoMessage) send(session, message);
}

/** A channel message to its members but the sender, narrowed to an audience; the hot path of every PRIVMSG. */
function toChannel(channel: Channel, message: Outgoing, audience: "all" | "ops" | "tags", except: User | undefined): void {
  const cap = audience === "tags" ? Cap.messageTags : 0;
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

function historyEntry(message: Outgoing): HistoryEntry | undefined {
  const { command, params, tags, prefix } = message;
  if (command !== "PRIVMSG" && command !== "NOTICE") return undefined;
  return { msgid: tags.msgid ?? "", time: tags.time ?? "", source: prefix, command, target: params[0] ?? "", text: params[1] ?? "" };
}

/**
 * Turns each change of the network state into lines for this node's connections (each
 * rendered for its capabilities), history entries, and (for changes made here) news for
 * the other nodes. The one place that fans out, stores and publishes.
 */
export class Delivery {
  constructor(private readonly targets: DeliveryTargets) {}

  readonly apply = (change: Change): void => {
    const { cluster } = this.targets;
    const local = change.remote === undefined;
    switch (change.kind) {
      case "register":
        break;
      case "nick":
        toSelfAndPeers(change.user, peersOf(change.user), change.message);
        break;
      case "join": {
        const { user, channel, message } = change;
        toChannel(channel, message, "all", undefined);
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
        break;
      case "channel":
        if (change.message) toChannel(change.channel, change.message, "all", undefined);
        break;
      case "invite":
        toUser(change.target, change.message);
        break;
      case "away":
        for (const peer of peersOf(change.user)) toUser(peer, change.message, Cap.awayNotify);
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

  private message(change: Extract<Change, { kind: "message" }>, local: boolean): void {
    const { from, origin, target, audience, message } = change;
    if (local) this.targets.countMessage();
    // What only the operators saw stays out of the channel's history.
    if (audience === "all" && (local || this.targets.cluster?.storesRemote)) {
      const entry = historyEntry(message);
      if (entry) this.targets.store(entry);
    }
    if (isChannel(target)) toChannel(target, message, audience, from);
    else toUser(target, message, message.command === "TAGMSG" ? Cap.messageTags : 0);
    if (from) echo(from, origin, message);
  }
}
