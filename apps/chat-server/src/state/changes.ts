import type { Outgoing } from "../outgoing.js";
import type { Channel, Session, User } from "./model.js";

/** Who on a channel a message is for: everyone, its operators (`@#chan`), or message-tags clients (TAGMSG). */
export type Audience = "all" | "ops" | "tags";

/**
 * What one operation of the network state did, emitted after it was applied. `remote` names
 * the node it came from when another node did it (this node only delivers it locally).
 */
export type Change = (
  /** A user finished registration (here, or on the node named by remote). */
  | { kind: "register"; user: User }
  | { kind: "nick"; user: User; oldNick: string; message: Outgoing }
  | { kind: "join"; user: User; channel: Channel; message: Outgoing }
  /** user left channel: a PART, or a KICK when message is one; the channel may be gone now. */
  | { kind: "part"; user: User; channel: Channel; message: Outgoing }
  /** user left the network; peers: who shared a channel with it. */
  | { kind: "quit"; user: User; message: Outgoing; peers: ReadonlySet<User>; channels: readonly Channel[] }
  /** A channel's topic, modes, member flags or invites changed; message (TOPIC, MODE) tells its members. */
  | { kind: "channel"; channel: Channel; message?: Outgoing }
  /** by (undefined when another node's user) invited target; invite-notify members see it too. */
  | { kind: "invite"; channel: Channel; target: User; by: User | undefined; message: Outgoing }
  /** user's away message changed: message (AWAY) goes to away-notify peers. */
  | { kind: "away"; user: User; message: Outgoing }
  /** user's account changed: message (ACCOUNT) goes to account-notify peers. */
  | { kind: "account"; user: User; message: Outgoing; account?: string }
  /** user's realname changed: message (SETNAME) goes to the user and setname peers. */
  | { kind: "setname"; user: User; message: Outgoing }
  /** user's user name or host changed: message (CHGHOST, from the old mask) goes to the user and chghost peers. */
  | { kind: "chghost"; user: User; message: Outgoing }
  /** An operator here gave another node's user a new user name and host: its node applies it. */
  | { kind: "sethost"; user: User; name: string; host: string }
  /** WALLOPS from an operator: to every user with +w. */
  | { kind: "wallops"; message: Outgoing }
  /** A local user that never registered gave up nick (its connection became another node's device): the claim is freed. */
  | { kind: "unclaim"; user: User; nick: string }
  /** user's connections or always-on setting changed without it leaving (another device joined it, an always-on user lost its last one); account: its account. */
  | { kind: "devices"; user: User; account?: string }
  /** user's modes or account changed: message (MODE) goes to the user. */
  | { kind: "umode"; user: User; message?: Outgoing }
  /** PRIVMSG, NOTICE or TAGMSG; origin: the connection it came from (echo-message). */
  | { kind: "message"; from: User | undefined; origin: Session | undefined; target: Channel | User; audience: Audience; message: Outgoing }
  | { kind: "kill"; target: User; message: Outgoing; reason: string }
  /** A message (msgid, in history conversation key) taken back: message-redaction clients see the REDACT; history drops it. */
  | { kind: "redact"; from: User | undefined; origin: Session | undefined; target: Channel | User; key: string; msgid: string; message: Outgoing }
) & { remote?: string };

/** Where the network state sends each change it made. */
export type ChangeSink = (change: Change) => void;
