import { formatMessage } from "@netlab/irc-protocol";

/** A NOTICE from a service (NickServ, ChanServ) on the services server to nick, as one line with its CR LF. */
export function serviceNotice(service: string, servicesName: string, nick: string, text: string): string {
  return formatMessage({ prefix: `${service}!${service}@${servicesName}`, command: "NOTICE", params: [nick, text] }) + "\r\n";
}
