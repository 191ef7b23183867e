import type { Channel } from "../channel.js";
import type { Client } from "../client.js";
import type { HistoryStore } from "../history.js";
import type { Outgoing } from "../outgoing.js";
import type { ChannelInfo } from "./events.js";
import type { ChatServer } from "../server.js";

/** What claimChannel found: a new channel, or one another node created (its modes, key, limit, bans, invites). */
export type ChannelClaim = { created: true } | { created: false; state?: ChannelInfo };

/** Who on a channel a message is for: everyone, its operators (`@#chan`), or message-tags clients (TAGMSG). */
export type Audience = "all" | "ops" | "tags";

/**
 * What the server and its commands tell the rest of the network (cluster mode). Every call
 * is made after the change was applied and delivered on this node; the link carries it to
 * the other nodes, which apply it to their view and deliver to their own clients.
 */
export interface ClusterLink {
  /** Connects; resolves once the network is joined, or after a short wait when Redis is down (it keeps trying). */
  start(): Promise<void>;
  /** Claims a nick network-wide for client; false when another node holds it. */
  claimNick(client: Client, nick: string): Promise<boolean>;
  /** Wraps the history store so that events leave for other nodes only after the commit that stores their messages. */
  storedFirst(history: HistoryStore): HistoryStore;
  /**
   * Claims the creation of a channel no node here knows of: created when client is its creator
   * (and operator); otherwise the channel's state as Redis holds it, when it could be read.
   */
  claimChannel(name: string): Promise<ChannelClaim>;
  /** A local client changed nick (the NICK line is message). */
  nickChanged(client: Client, oldNick: string, message: Outgoing): void;
  joined(client: Client, channel: Channel, message: Outgoing): void;
  /** client left channel (PART, or KICK when message is a KICK). */
  parted(client: Client, channel: Channel, message: Outgoing): void;
  /** A channel's topic, modes, member flags or invites changed; message tells its members. */
  channelChanged(channel: Channel, message?: Outgoing): void;
  channelMessage(channel: Channel, message: Outgoing, audience: Audience): void;
  /** A line for a remote user (PRIVMSG, NOTICE, TAGMSG, INVITE): its node delivers it. */
  toUser(target: Client, message: Outgoing): void;
  /** A local user's away, modes or account changed; message (AWAY) goes to away-notify peers. */
  userChanged(client: Client, message?: Outgoing): void;
  /** An operator here kills a remote user: its node disconnects it. */
  kill(target: Client, message: Outgoing, reason: string): void;
  /** Users connected to other nodes. */
  remoteUsers(): number;
  /** Leaves the network: releases this node's nicks and lease. */
  close(): Promise<void>;
}

/** Builds a server's cluster link (redisCluster(...) makes one). */
export type ClusterFactory = (server: ChatServer) => ClusterLink;
