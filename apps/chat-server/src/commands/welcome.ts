import { MAXBANS } from "../channel.js";
import type { Client } from "../client.js";
import { AWAYLEN, CHANNELLEN, KICKLEN, NICKLEN, TOPICLEN } from "../names.js";
import type { ChatServer } from "../server.js";
import { CHATHISTORY_LIMIT } from "./chathistory.js";

/** ISUPPORT tokens sent in 005. */
export function isupportTokens(server: ChatServer): string[] {
  const history = server.history.enabled ? [`CHATHISTORY=${CHATHISTORY_LIMIT}`, "MSGREFTYPES=msgid,timestamp"] : [];
  return [
    ...history,
    `AWAYLEN=${AWAYLEN}`,
    "CASEMAPPING=rfc1459",
    "CHANLIMIT=#&:" + server.limits.maxChannelsPerClient,
    "CHANMODES=b,k,l,imnt",
    `CHANNELLEN=${CHANNELLEN}`,
    "CHANTYPES=#&",
    "ELIST=",
    `KICKLEN=${KICKLEN}`,
    `MAXLIST=b:${MAXBANS}`,
    "MODES=4",
    "NETWORK=netlab",
    `NICKLEN=${NICKLEN}`,
    "PREFIX=(ov)@+",
    "TARGMAX=PRIVMSG:4,NOTICE:4,TAGMSG:4,NAMES:4,WHOIS:1,JOIN:,PART:,KICK:4",
    `TOPICLEN=${TOPICLEN}`,
    "STATUSMSG=@+",
  ];
}

/** 251-255: how many users, operators, unknown connections and channels. */
export function sendLusers(server: ChatServer, client: Client): void {
  let invisible = 0;
  let opers = 0;
  let unknown = 0;
  for (const other of server.clients) {
    if (!other.registered) unknown++;
    else {
      if (other.invisible) invisible++;
      if (other.oper) opers++;
    }
  }
  const local = server.clients.size - unknown;
  const users = local + (server.cluster?.remoteUsers() ?? 0);
  server.reply(client, "251", `There are ${users - invisible} users and ${invisible} invisible on 1 servers`);
  server.reply(client, "252", String(opers), "operator(s) online");
  server.reply(client, "253", String(unknown), "unknown connection(s)");
  server.reply(client, "254", String(server.channels.size), "channels formed");
  server.reply(client, "255", `I have ${local} clients and 0 servers`);
}

/** 375/372/376, or 422 when there is no MOTD. */
export function sendMotd(server: ChatServer, client: Client): void {
  const motd = server.options.motd;
  if (!motd || motd.length === 0) return server.reply(client, "422", "MOTD File is missing");
  server.reply(client, "375", `- ${server.name} Message of the day - `);
  for (const line of motd) server.reply(client, "372", `- ${line}`);
  server.reply(client, "376", "End of /MOTD command.");
}

/** The burst after registration: 001-005, LUSERS, MOTD. */
export function sendWelcome(server: ChatServer, client: Client): void {
  server.reply(client, "001", `Welcome to the netlab IRC Network ${client.mask}`);
  server.reply(client, "002", `Your host is ${server.name}, running version ${server.version}`);
  server.reply(client, "003", `This server was created ${server.createdAt.toUTCString()}`);
  server.reply(client, "004", server.name, server.version, "io", "biklmnotv", "bklov");
  const tokens = isupportTokens(server);
  for (let i = 0; i < tokens.length; i += 12) {
    server.reply(client, "005", ...tokens.slice(i, i + 12), "are supported by this server");
  }
  sendLusers(server, client);
  sendMotd(server, client);
}
