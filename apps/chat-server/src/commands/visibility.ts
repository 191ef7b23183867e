import { isIP } from "node:net";
import { sharesChannel, type Channel, type User } from "../state/model.js";

/** What WHOX's `i` field shows when the IP is not for the asker to see (IRCv3 whox). */
export const HIDDEN_IP = "255.255.255.255";

/** Whether a mask search (WHO) may list target: invisible (+i) users only for themselves, operators and those sharing a channel. */
export function canSeeUser(viewer: User, target: User): boolean {
  return viewer === target || viewer.oper || !target.invisible || sharesChannel(viewer, target);
}

/** Whether viewer may learn that target is on channel: from inside it, else only when neither target (+i) nor the channel (+s, +p) hides it. */
export function canSeeMembership(viewer: User, target: User, channel: Channel): boolean {
  if (viewer === target || viewer.oper || channel.members.has(viewer)) return true;
  return !target.invisible && !channel.secret && !channel.private;
}

/** Whether WHO may list a channel's members to viewer: a secret (+s) one only to its members and operators. */
export function canSeeChannel(viewer: User, channel: Channel): boolean {
  return !channel.secret || viewer.oper || channel.members.has(viewer);
}

/** The first of target's channels viewer may know about, for WHO's channel field. */
export function shownChannel(viewer: User, target: User): Channel | undefined {
  for (const channel of target.channels) if (canSeeMembership(viewer, target, channel)) return channel;
  return undefined;
}

/** target's IP for the user itself and operators; the host is the address unless it was changed. */
export function ipShownTo(viewer: User, target: User): string {
  if (viewer !== target && !viewer.oper) return HIDDEN_IP;
  return isIP(target.host) ? target.host : HIDDEN_IP;
}

/** Seconds since target last spoke; undefined for a user of another node, whose activity this node does not hear. */
export function idleSeconds(target: User): number | undefined {
  return target.home === undefined ? Math.floor((Date.now() - target.lastSpoke) / 1000) : undefined;
}
