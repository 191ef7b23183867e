import { Cap } from "../capabilities.js";
import { foldCase } from "../casemap.js";
import { Channel } from "../channel.js";
import type { Client } from "../client.js";
import { Outgoing, stamp } from "../outgoing.js";
import type { ChatServer } from "../server.js";
import { fromWire, type ChannelInfo, type ClusterEvent, type UserInfo } from "./events.js";
import type { Audience } from "./link.js";
import { applyChannelInfo, makeProxy, updateProxy } from "./snapshot.js";

/**
 * This node's picture of the users on other nodes: each is a proxy Client placed in
 * server.nicks and in its channels' member lists, so every command works unchanged; what
 * is sent to a proxy is dropped, since its own node delivers to it.
 */
export class RemoteView {
  readonly proxies = new Map<string, Client>();
  private readonly uids = new Map<Client, string>();

  constructor(
    private readonly server: ChatServer,
    /** A local client by uid. */
    private readonly local: (uid: string) => Client | undefined,
    /** Called when an event changed a local user's state (its node keeps it in Redis). */
    private readonly localChanged: (client: Client) => void,
  ) {}

  uidOf(proxy: Client): string | undefined {
    return this.uids.get(proxy);
  }

  find(uid: string): Client | undefined {
    return this.proxies.get(uid) ?? this.local(uid);
  }

  /**
   * Adds or updates a remote user; with channels, also its memberships (local members see
   * JOIN and PART for the channels it gained or lost): on resync, not on live updates, where
   * JOIN, PART and KICK events carry membership in order.
   */
  upsert(info: UserInfo, node: string, channels = true): Client {
    let proxy = this.proxies.get(info.uid);
    if (!proxy) {
      proxy = makeProxy(info, node);
      proxy.nick = info.nick;
      this.proxies.set(info.uid, proxy);
      this.uids.set(proxy, info.uid);
      this.holdNick(proxy);
    } else {
      updateProxy(proxy, info);
      if (proxy.nick !== info.nick) this.rename(proxy, info.nick, new Outgoing(proxy.mask, "NICK", [info.nick], stamp()));
      // A local user who held this nick may have been renamed after a collision.
      else this.holdNick(proxy);
    }
    if (!channels) return proxy;
    const wanted = new Map(Object.entries(info.channels).map(([name, flags]) => [foldCase(name), { name, flags }]));
    for (const channel of [...proxy.channels]) {
      if (wanted.has(channel.folded)) continue;
      this.server.fanout.toChannel(channel, new Outgoing(proxy.mask, "PART", [channel.name], stamp()));
      this.server.leaveChannel(proxy, channel);
    }
    for (const { name, flags } of wanted.values()) {
      const channel = this.channel(name);
      if (channel.members.has(proxy)) channel.members.set(proxy, flags);
      else this.addMember(proxy, channel, flags, new Outgoing(proxy.mask, "JOIN", [channel.name], stamp()));
    }
    return proxy;
  }

  /** Removes a remote user: its channels' local members see it QUIT. */
  remove(uid: string, quit: Outgoing): void {
    const proxy = this.proxies.get(uid);
    if (!proxy) return;
    this.server.rememberNick(proxy);
    for (const peer of this.server.peersOf(proxy)) this.server.deliver(peer, quit);
    for (const channel of [...proxy.channels]) this.server.leaveChannel(proxy, channel);
    const folded = foldCase(proxy.nick);
    if (this.server.nicks.get(folded) === proxy) this.server.nicks.delete(folded);
    this.proxies.delete(uid);
    this.uids.delete(proxy);
  }

  /** Removes every user of node (lost or gone), each with a QUIT saying why. */
  removeNode(node: string, reason: string): number {
    let removed = 0;
    for (const [uid, proxy] of [...this.proxies]) {
      if (proxy.home !== node) continue;
      this.remove(uid, new Outgoing(proxy.mask, "QUIT", [reason], stamp()));
      removed++;
    }
    return removed;
  }

  /** Nodes that have users in this view. */
  nodes(): Set<string> {
    return new Set([...this.proxies.values()].map((proxy) => proxy.home ?? ""));
  }

  /** Makes node's users exactly `users` (read back from Redis after an outage or a hello). */
  reconcile(node: string, users: UserInfo[], reason: string): void {
    const present = new Set(users.map((info) => info.uid));
    for (const [uid, proxy] of [...this.proxies]) {
      if (proxy.home === node && !present.has(uid)) this.remove(uid, new Outgoing(proxy.mask, "QUIT", [reason], stamp()));
    }
    for (const info of users) this.upsert(info, node);
  }

  /** Applies channel state read from Redis to the channels this view holds. */
  applyChannels(channels: ChannelInfo[]): void {
    for (const info of channels) {
      const channel = this.server.findChannel(info.name);
      if (channel) applyChannelInfo(channel, info);
    }
  }

  /** Applies what another node did, delivering it to this node's clients. */
  apply(event: ClusterEvent, storeRemote: boolean): void {
    const { server } = this;
    switch (event.t) {
      case "user": {
        const proxy = this.upsert(event.u, event.n, !this.proxies.has(event.u.uid));
        if (event.m) this.toPeers(proxy, fromWire(event.m), Cap.awayNotify);
        return;
      }
      case "nick": {
        const proxy = this.proxies.get(event.u);
        if (proxy) this.rename(proxy, event.nick, fromWire(event.m));
        return;
      }
      case "quit":
        return this.remove(event.u, fromWire(event.m));
      case "join": {
        const proxy = this.proxies.get(event.u);
        if (!proxy) return;
        const known = server.findChannel(event.c.name);
        const channel = this.channel(event.c.name);
        if (!known) applyChannelInfo(channel, event.c);
        if (channel.members.has(proxy)) return;
        this.addMember(proxy, channel, event.f, fromWire(event.m));
        if (proxy.away !== undefined) {
          const away = new Outgoing(proxy.mask, "AWAY", [proxy.away], stamp());
          for (const member of channel.members.keys()) if (member.caps & Cap.awayNotify) server.deliver(member, away);
        }
        return;
      }
      case "part": {
        const member = this.find(event.u);
        const channel = server.findChannel(event.c);
        if (!member || !channel?.members.has(member)) return;
        server.fanout.toChannel(channel, fromWire(event.m));
        server.leaveChannel(member, channel);
        if (member.home === undefined) this.localChanged(member);
        return;
      }
      case "chan": {
        const channel = server.findChannel(event.c.name);
        if (!channel) return;
        applyChannelInfo(channel, event.c);
        for (const [uid, flags] of Object.entries(event.f ?? {})) {
          const member = this.find(uid);
          if (!member || channel.members.get(member) === undefined || channel.members.get(member) === flags) continue;
          channel.members.set(member, flags);
          if (member.home === undefined) this.localChanged(member);
        }
        if (event.m) server.fanout.toChannel(channel, fromWire(event.m));
        return;
      }
      case "msg": {
        const message = fromWire(event.m);
        if (event.to !== undefined) {
          const target = this.local(event.to);
          if (!target || (message.command === "TAGMSG" && !(target.caps & Cap.messageTags))) return;
          if (storeRemote) this.store(message);
          server.deliver(target, message);
          return;
        }
        const channel = server.findChannel(event.c);
        if (!channel) return;
        if (storeRemote && event.only === "all") this.store(message);
        this.toChannel(channel, message, event.only);
        return;
      }
      case "kill": {
        const target = this.local(event.u);
        if (!target) return;
        server.deliver(target, fromWire(event.m));
        server.disconnect(target, event.reason, { quitMessage: event.reason });
        return;
      }
      case "hello":
      case "bye":
        return;
    }
  }

  private toChannel(channel: Channel, message: Outgoing, audience: Audience): void {
    if (audience === "all") return this.server.fanout.toChannel(channel, message);
    for (const member of channel.members.keys()) {
      const wanted = audience === "ops" ? channel.isOp(member) : (member.caps & Cap.messageTags) !== 0;
      if (wanted) this.server.deliver(member, message);
    }
  }

  /** Keeps a remote message in this node's own history (when history is not shared through Redis). */
  private store(message: Outgoing): void {
    const { command, params, tags, prefix } = message;
    if (command !== "PRIVMSG" && command !== "NOTICE") return;
    this.server.store({ msgid: tags.msgid ?? "", time: tags.time ?? "", source: prefix, command, target: params[0] ?? "", text: params[1] ?? "" });
  }

  private toPeers(proxy: Client, message: Outgoing, cap: number): void {
    for (const peer of this.server.peersOf(proxy)) if (peer.caps & cap) this.server.deliver(peer, message);
  }

  private rename(proxy: Client, nick: string, message: Outgoing): void {
    this.server.rememberNick(proxy);
    for (const peer of this.server.peersOf(proxy)) this.server.deliver(peer, message);
    const folded = foldCase(proxy.nick);
    if (this.server.nicks.get(folded) === proxy) this.server.nicks.delete(folded);
    proxy.nick = nick;
    this.holdNick(proxy);
  }

  /** Puts a proxy under its nick, unless a local user holds it (a collision the nick owners resolve in Redis). */
  private holdNick(proxy: Client): void {
    const folded = foldCase(proxy.nick);
    const holder = this.server.nicks.get(folded);
    if (!holder || holder.home !== undefined) this.server.nicks.set(folded, proxy);
  }

  private channel(name: string): Channel {
    let channel = this.server.findChannel(name);
    if (!channel) {
      channel = new Channel(name);
      this.server.channels.set(channel.folded, channel);
    }
    return channel;
  }

  private addMember(proxy: Client, channel: Channel, flags: number, join: Outgoing): void {
    channel.members.set(proxy, flags);
    proxy.channels.add(channel);
    this.server.fanout.toChannel(channel, join);
  }
}
