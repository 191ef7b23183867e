import type { Connection } from "../connection.js";
import { AWAYLEN, CHANNELLEN, KICKLEN, NICKLEN, TOPICLEN } from "../names.js";
import {
  ERR_NOMOTD,
  RPL_CREATED,
  RPL_ENDOFMOTD,
  RPL_GLOBALUSERS,
  RPL_ISUPPORT,
  RPL_LOCALUSERS,
  RPL_LUSERCHANNELS,
  RPL_LUSERCLIENT,
  RPL_LUSERME,
  RPL_LUSEROP,
  RPL_LUSERUNKNOWN,
  RPL_MOTD,
  RPL_MOTDSTART,
  RPL_MYINFO,
  RPL_WELCOME,
  RPL_YOURHOST,
} from "../numerics.js";
import { MAXBANS } from "../state/model.js";
import { CHANNEL_MODES } from "./channel-modes.js";
import { CHATHISTORY_LIMIT } from "./chathistory.js";
import type { CommandContext } from "./context.js";

/** ISUPPORT tokens sent in 005. */
export function isupportTokens(context: CommandContext): string[] {
  const history = context.history.enabled ? [`CHATHISTORY=${CHATHISTORY_LIMIT}`, "MSGREFTYPES=msgid,timestamp"] : [];
  return [
    ...history,
    `AWAYLEN=${AWAYLEN}`,
    "BOT=B",
    "CASEMAPPING=rfc1459",
    "CHANLIMIT=#&:" + context.limits.maxChannelsPerClient,
    "CHANMODES=beI,k,l,imnpst",
    `CHANNELLEN=${CHANNELLEN}`,
    "CHANTYPES=#&",
    "ELIST=CMNTU",
    "EXCEPTS",
    "INVEX",
    `KICKLEN=${KICKLEN}`,
    `MAXLIST=b:${MAXBANS},e:${MAXBANS},I:${MAXBANS}`,
    "MODES=4",
    `MONITOR=${context.monitors.limit}`,
    "NETWORK=netlab",
    `NICKLEN=${NICKLEN}`,
    "PREFIX=(ov)@+",
    "TARGMAX=PRIVMSG:4,NOTICE:4,TAGMSG:4,NAMES:4,WHOIS:1,JOIN:,PART:,KICK:4",
    `TOPICLEN=${TOPICLEN}`,
    "STATUSMSG=@+",
    ...(context.server.utf8Only ? ["UTF8ONLY"] : []),
    "WHOX",
  ];
}

/** 251-255, 265, 266: users, operators, unknown connections, channels and servers; users here and on the network, now and at most. */
export function sendLusers(context: CommandContext, connection: Connection): void {
  const { network } = context;
  // Kept counts, never a walk over users or connections: this runs at every registration.
  const invisible = network.invisibleUsers;
  const opers = network.operators;
  const nodes = network.nodes();
  const local = context.server.peaks.current;
  const unknown = context.connections.size - local;
  const global = local + network.remoteUsers;
  const maxLocal = Math.max(context.server.peaks.local, local);
  const maxGlobal = Math.max(context.server.peaks.global, global);
  context.reply(connection, RPL_LUSERCLIENT, `There are ${global - invisible} users and ${invisible} invisible on ${nodes.size + 1} servers`);
  context.reply(connection, RPL_LUSEROP, String(opers));
  context.reply(connection, RPL_LUSERUNKNOWN, String(unknown));
  context.reply(connection, RPL_LUSERCHANNELS, String(network.channelCount));
  context.reply(connection, RPL_LUSERME, `I have ${local} clients and ${nodes.size} servers`);
  context.reply(connection, RPL_LOCALUSERS, String(local), String(maxLocal), `Current local users ${local}, max ${maxLocal}`);
  context.reply(connection, RPL_GLOBALUSERS, String(global), String(maxGlobal), `Current global users ${global}, max ${maxGlobal}`);
}

/** 375/372/376, or 422 when there is no MOTD. */
export function sendMotd(context: CommandContext, connection: Connection): void {
  const { motd, name } = context.server;
  if (motd.length === 0) return context.reply(connection, ERR_NOMOTD);
  context.reply(connection, RPL_MOTDSTART, `- ${name} Message of the day - `);
  for (const line of motd) context.reply(connection, RPL_MOTD, `- ${line}`);
  context.reply(connection, RPL_ENDOFMOTD);
}

/** The burst after registration: 001-005, LUSERS, MOTD. */
export function sendWelcome(context: CommandContext, connection: Connection): void {
  const { server } = context;
  context.reply(connection, RPL_WELCOME, `Welcome to the netlab IRC Network ${connection.user.mask}`);
  context.reply(connection, RPL_YOURHOST, `Your host is ${server.name}, running version ${server.version}`);
  context.reply(connection, RPL_CREATED, `This server was created ${server.createdAt.toUTCString()}`);
  context.reply(connection, RPL_MYINFO, server.name, server.version, "Biow", CHANNEL_MODES, "Ibeklov");
  const tokens = isupportTokens(context);
  for (let i = 0; i < tokens.length; i += 12) {
    context.reply(connection, RPL_ISUPPORT, ...tokens.slice(i, i + 12));
  }
  sendLusers(context, connection);
  sendMotd(context, connection);
}
