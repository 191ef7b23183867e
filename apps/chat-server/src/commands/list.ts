import { globMatcher } from "../glob.js";
import { RPL_LIST, RPL_LISTEND, RPL_LISTSTART } from "../numerics.js";
import type { Channel, User } from "../state/model.js";
import type { Network } from "../state/network.js";
import type { Command } from "./command.js";
import { canSeeChannel } from "./visibility.js";

/** A LIST condition on a channel, given the time in epoch seconds. */
type Condition = (channel: Channel, now: number) => boolean;

/** `<n`, `>n` (users), `C<n`, `C>n` (minutes since created), `T<n`, `T>n` (minutes since the topic was set): ELIST U, C and T. */
function condition(item: string): Condition | undefined {
  const match = /^([CT]?)([<>])(\d{1,9})$/.exec(item);
  if (!match) return undefined;
  const [, field, op, digits] = match;
  const n = Number(digits);
  const compare = (value: number, bound: number): boolean => (op === "<" ? value < bound : value > bound);
  if (field === "C") return (channel, now) => compare(now - channel.createdAt, n * 60);
  if (field === "T") return (channel, now) => channel.topic !== undefined && compare(now - channel.topic.setAt, n * 60);
  return (channel) => compare(channel.members.size, n);
}

/**
 * LIST's parameters: names and masks (ELIST M), `!mask` (N) and conditions (U, C, T), comma
 * separated. The first parameter may hold all of them; later ones only conditions and
 * negated masks (RFC 2812 puts a server name there).
 */
export interface ListQuery {
  /** Exact names when no mask has a wildcard: those channels are looked up, not searched for. */
  readonly names: readonly string[] | undefined;
  matches(channel: Channel, now: number): boolean;
}

export function parseListQuery(params: readonly string[]): ListQuery {
  const masks: string[] = [];
  const negated: ((name: string) => boolean)[] = [];
  const conditions: Condition[] = [];
  params.forEach((param, at) => {
    for (const item of param.split(",").filter(Boolean)) {
      const test = condition(item);
      if (test) conditions.push(test);
      else if (item.startsWith("!") && item.length > 1) negated.push(globMatcher(item.slice(1)));
      else if (at === 0) masks.push(item);
    }
  });
  const positive = masks.map(globMatcher);
  const exact = masks.length > 0 && masks.every((mask) => !/[*?]/.test(mask));
  return {
    names: exact ? masks : undefined,
    matches: (channel, now) =>
      (positive.length === 0 || positive.some((matches) => matches(channel.name))) &&
      !negated.some((matches) => matches(channel.name)) &&
      conditions.every((test) => test(channel, now)),
  };
}

/** The channels a LIST shows viewer: a secret (+s) one only to its members. */
export function listedChannels(network: Network, viewer: User, params: readonly string[], now = Math.floor(Date.now() / 1000)): Channel[] {
  const query = parseListQuery(params);
  // A name given twice lists its channel once.
  const candidates = query.names ? new Set(query.names.map((name) => network.findChannel(name))) : network.channels();
  const listed: Channel[] = [];
  for (const channel of candidates) {
    if (channel && canSeeChannel(viewer, channel) && query.matches(channel, now)) listed.push(channel);
  }
  return listed;
}

/** LIST [names and masks][,conditions] (ELIST=CMNTU): 321, a 322 per channel (a private one's topic only for its members), 323. */
export const LIST: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const { user } = connection;
    context.reply(connection, RPL_LISTSTART, "Channel");
    for (const channel of listedChannels(context.network, user, params)) {
      const topic = channel.private && !channel.members.has(user) ? "" : (channel.topic?.text ?? "");
      context.reply(connection, RPL_LIST, channel.name, String(channel.members.size), topic);
    }
    context.reply(connection, RPL_LISTEND);
  },
};
