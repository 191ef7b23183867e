import { globMatcher } from "../glob.js";
import { RPL_ADMINEMAIL, RPL_ADMINLOC1, RPL_ADMINLOC2, RPL_ADMINME, RPL_ENDOFINFO, RPL_ENDOFLINKS, RPL_INFO, RPL_LINKS, RPL_TIME } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";

/** A duration in seconds as `3 days, 04:05:06`. */
function uptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const clock = [Math.floor(seconds / 3_600) % 24, Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, "0")).join(":");
  return days > 0 ? `${days} day${days === 1 ? "" : "s"}, ${clock}` : clock;
}

/** The lines of INFO: the software, how the server runs, since when. */
function infoLines(context: CommandContext): string[] {
  const { server, network } = context;
  const up = Math.floor((Date.now() - server.createdAt.getTime()) / 1000);
  return [
    `${server.name} runs ${server.version}, an IRC server of the netlab project`,
    `written in TypeScript, running on Node.js ${process.version}.`,
    // Only cluster mode has claims: names are taken network-wide through Redis.
    context.claims ? `This is node ${network.nodeId} of a network of servers sharing one Redis.` : "This server runs alone (not in a cluster).",
    `Started ${server.createdAt.toUTCString()}, up ${uptime(up)}.`,
    "HELP lists the commands it knows.",
  ];
}

// The optional <target> of INFO, TIME, LINKS and ADMIN is not followed: this server answers for itself.

const INFO: Command = {
  minParams: 0,
  run(context, connection) {
    for (const line of infoLines(context)) context.reply(connection, RPL_INFO, line);
    context.reply(connection, RPL_ENDOFINFO);
  },
};

const TIME: Command = {
  minParams: 0,
  run(context, connection) {
    context.reply(connection, RPL_TIME, context.server.name, new Date().toUTCString());
  },
};

/** LINKS [[<server>] <mask>]: this server (0 hops), then the other nodes whose users this one knows (1 hop each). */
const LINKS: Command = {
  minParams: 0,
  run(context, connection, { params }) {
    const { server, network } = context;
    const mask = params[params.length - 1] ?? "*";
    const matches = globMatcher(mask);
    if (matches(server.name)) context.reply(connection, RPL_LINKS, server.name, server.name, `0 ${server.description}`);
    // NickServ and ChanServ live in this server, shown as the services server linked to it.
    if (context.accounts && matches(server.servicesName)) context.reply(connection, RPL_LINKS, server.servicesName, server.name, "1 netlab services: NickServ, ChanServ");
    for (const node of [...network.nodes()].sort()) {
      if (matches(node)) context.reply(connection, RPL_LINKS, node, server.name, `1 cluster node ${node}`);
    }
    context.reply(connection, RPL_ENDOFLINKS, mask);
  },
};

const ADMIN: Command = {
  minParams: 0,
  run(context, connection) {
    const { name, description, admin } = context.server;
    context.reply(connection, RPL_ADMINME, name);
    context.reply(connection, RPL_ADMINLOC1, admin.location ?? "Location not configured");
    context.reply(connection, RPL_ADMINLOC2, description);
    context.reply(connection, RPL_ADMINEMAIL, admin.email ?? "No contact address configured");
  },
};

export const serverInfoCommands = { INFO, TIME, LINKS, ADMIN };
