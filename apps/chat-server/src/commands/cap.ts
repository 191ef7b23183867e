import { saslMechanisms } from "../accounts/sasl.js";
import { accountCaps, Cap, capList, capNames } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { ERR_INVALIDCAPCMD } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { tryRegister } from "./registration.js";

const allCaps = [...capNames.values()].reduce((set, bit) => set | bit, 0);

/** The capabilities this server offers: draft/chathistory only when it keeps history, sasl and the like only with accounts. */
function offered(context: CommandContext): number {
  let caps = context.history.enabled ? allCaps : allCaps & ~(Cap.chathistory | Cap.messageRedaction);
  if (!context.accounts) caps &= ~accountCaps;
  return caps;
}

/** The values CAP LS 302 gives: SASL mechanisms, how account registration works. */
function capValues(context: CommandContext): Map<number, string> {
  const values = new Map<number, string>([[Cap.sasl, saslMechanisms.join(",")]]);
  const options = context.accounts?.options;
  const registration = [options?.beforeConnect ? "before-connect" : "", options?.emailRequired ? "email-required" : ""].filter(Boolean);
  if (registration.length) values.set(Cap.accountRegistration, registration.join(","));
  return values;
}

/** A CAP reply; the list always goes in a trailing parameter, as clients expect. */
function capReply(context: CommandContext, connection: Connection, sub: string, list: string): void {
  connection.send(`:${context.server.name} CAP ${connection.nick} ${sub} :${list}\r\n`);
}

/** CAP LS/LIST/REQ/END (IRCv3 capability negotiation, version 302). */
const CAP: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(context, connection, { params }) {
    const sub = (params[0] ?? "").toUpperCase();
    switch (sub) {
      case "LS": {
        if (!connection.registered) connection.capNegotiating = true;
        // CAP LS 302 implies cap-notify, and values.
        const v302 = Number(params[1]) >= 302;
        if (v302) connection.caps |= Cap.capNotify;
        capReply(context, connection, "LS", capList(offered(context), v302 ? capValues(context) : undefined));
        return;
      }
      case "LIST":
        capReply(context, connection, "LIST", capList(connection.caps));
        return;
      case "REQ": {
        if (!connection.registered) connection.capNegotiating = true;
        const wanted = params[1] ?? "";
        let add = 0;
        let remove = 0;
        for (const item of wanted.split(" ").filter(Boolean)) {
          const off = item.startsWith("-");
          const bit = capNames.get(off ? item.slice(1) : item);
          if (bit === undefined || !(bit & offered(context))) {
            capReply(context, connection, "NAK", wanted);
            return;
          }
          if (off) remove |= bit;
          else add |= bit;
        }
        connection.caps = (connection.caps | add) & ~remove;
        capReply(context, connection, "ACK", wanted);
        return;
      }
      case "END":
        connection.capNegotiating = false;
        tryRegister(context, connection);
        return;
      default:
        context.reply(connection, ERR_INVALIDCAPCMD, params[0] ?? "");
    }
  },
};

export const capCommands = { CAP };
