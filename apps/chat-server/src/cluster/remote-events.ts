import type { Network } from "../state/network.js";
import { fromWire, type ClusterEvent } from "./events.js";

/** Applies what another node did to this node's network state (hello and bye aside: the link handles those). */
export function applyRemoteEvent(network: Network, event: ClusterEvent): void {
  const node = event.n;
  /** A user of another node, or of this one, as this node knows it. */
  const remote = (uid: string) => {
    const user = network.byUid(uid);
    return user?.home !== undefined ? user : undefined;
  };
  const local = (uid: string) => {
    const user = network.byUid(uid);
    return user?.home === undefined ? user : undefined;
  };
  switch (event.t) {
    case "user":
      if (local(event.u.uid)) return;
      network.remote.updateUser(event.u, node, event.m && fromWire(event.m));
      return;
    case "nick": {
      const user = remote(event.u);
      if (user) network.remote.rename(user, event.nick, fromWire(event.m), node);
      return;
    }
    case "quit": {
      const user = remote(event.u);
      if (user) network.remote.quit(user, fromWire(event.m), node);
      return;
    }
    case "join": {
      const user = remote(event.u);
      if (user) network.remote.join(user, event.c, event.f, fromWire(event.m), node);
      return;
    }
    case "part": {
      // The one leaving may be a user of this node, kicked there.
      const user = network.byUid(event.u);
      if (user) network.remote.part(user, event.c, fromWire(event.m), node);
      return;
    }
    case "chan":
      network.remote.applyChannel(event.c, node, event.f, event.m && fromWire(event.m));
      return;
    case "msg": {
      if (event.to !== undefined) {
        const target = local(event.to);
        if (target) network.remote.relay(target, fromWire(event.m), "all", node);
        return;
      }
      const channel = network.findChannel(event.c);
      if (channel) network.remote.relay(channel, fromWire(event.m), event.only, node);
      return;
    }
    case "kill": {
      const target = local(event.u);
      if (target) network.remote.kill(target, fromWire(event.m), event.reason, node);
      return;
    }
    case "invite": {
      const target = network.byUid(event.to);
      if (target) network.remote.invite(event.c, target, fromWire(event.m), node);
      return;
    }
    case "wallops":
      network.remote.wallops(fromWire(event.m), node);
      return;
    case "redact": {
      const target = event.to !== undefined ? local(event.to) : network.findChannel(event.c ?? "");
      if (target) network.remote.redact(target, event.key, event.msgid, fromWire(event.m), node);
      return;
    }
    case "sethost": {
      const target = local(event.u);
      if (target) network.setHost(target, event.user, event.host);
      return;
    }
    case "hello":
    case "bye":
      return;
  }
}
