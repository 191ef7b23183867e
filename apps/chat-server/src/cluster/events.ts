import { Outgoing, type OutgoingTags } from "../outgoing.js";
import type { Audience } from "../state/changes.js";
import type { ChannelInfo, UserInfo } from "../state/snapshot.js";

/** An IRC line as it travels between nodes: source, command, parameters, tags (msgid and time from the origin). */
export interface WireLine {
  p: string;
  c: string;
  a: string[];
  g: OutgoingTags;
}

/** What nodes tell each other over pub/sub; `n` is the node that sent it. */
export type ClusterEvent =
  | { t: "user"; n: string; u: UserInfo; m?: WireLine }
  | { t: "nick"; n: string; u: string; nick: string; m: WireLine }
  | { t: "quit"; n: string; u: string; m: WireLine }
  | { t: "join"; n: string; u: string; f: number; c: ChannelInfo; m: WireLine }
  /** u leaves channel c: a PART, or a KICK line naming u. */
  | { t: "part"; n: string; u: string; c: string; m: WireLine }
  /** Channel state changed; f: new member flags by uid (MODE +o/+v). */
  | { t: "chan"; n: string; c: ChannelInfo; f?: Record<string, number>; m?: WireLine }
  | { t: "msg"; n: string; c: string; to?: undefined; only: Audience; m: WireLine }
  | { t: "msg"; n: string; c?: undefined; to: string; m: WireLine }
  | { t: "kill"; n: string; u: string; reason: string; m: WireLine }
  /** An invite to channel c (its state with the invite) for user `to`, of any node. */
  | { t: "invite"; n: string; c: ChannelInfo; to: string; m: WireLine }
  | { t: "wallops"; n: string; m: WireLine }
  /** A REDACT of msgid (history conversation key) in channel c, or to user `to`. */
  | { t: "redact"; n: string; c?: string; to?: string; key: string; msgid: string; m: WireLine }
  /** An operator elsewhere gave user u of the receiving node a new user name and host. */
  | { t: "sethost"; n: string; u: string; user: string; host: string }
  /** Device d (a connection on node n) of user u, of the receiving node, opens: ip and negotiated caps. */
  | { t: "dev+"; n: string; d: string; u: string; ip: string; caps: number }
  /** A line device d sent, for its user's node to run. */
  | { t: "dev>"; n: string; d: string; l: string }
  /** Output for device d (base64), from its user's node. */
  | { t: "dev<"; n: string; d: string; b: string }
  /** Device d closed, on either side (r: why, when its user's node ended it). */
  | { t: "dev-"; n: string; d: string; r?: string }
  /** A node joined or came back: read its users from Redis. */
  | { t: "hello"; n: string }
  | { t: "bye"; n: string };

export function toWire(message: Outgoing): WireLine {
  return { p: message.prefix, c: message.command, a: message.params, g: message.tags };
}

export function fromWire(line: WireLine): Outgoing {
  return new Outgoing(line.p, line.c, line.a, line.g);
}
