import type { Channel } from "./channel.js";
import type { Client } from "./client.js";
import type { Outgoing } from "./outgoing.js";

/**
 * How a message reaches the members of a channel. The local fan-out writes to this
 * process's clients; a cluster fan-out (Redis pub/sub) would also publish to other nodes.
 */
export interface Fanout {
  toChannel(channel: Channel, message: Outgoing, except?: Client): void;
}

/** Delivers to the channel's members on this process. */
export const localFanout: Fanout = {
  toChannel(channel, message, except) {
    for (const member of channel.members.keys()) {
      if (member !== except) member.send(message.lineFor(member.caps));
    }
  },
};
