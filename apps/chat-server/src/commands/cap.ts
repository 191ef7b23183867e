import { Cap, capList, capNames } from "../capabilities.js";
import type { Client } from "../client.js";
import type { ChatServer } from "../server.js";
import type { Command } from "./command.js";
import { tryRegister } from "./registration.js";

const allCaps = [...capNames.values()].reduce((set, bit) => set | bit, 0);

/** The capabilities this server offers: draft/chathistory only when it keeps history. */
function offered(server: ChatServer): number {
  return server.history.enabled ? allCaps : allCaps & ~Cap.chathistory;
}

/** A CAP reply; the list always goes in a trailing parameter, as clients expect. */
function capReply(server: ChatServer, client: Client, sub: string, list: string): void {
  client.send(`:${server.name} CAP ${client.nick} ${sub} :${list}\r\n`);
}

/** CAP LS/LIST/REQ/END (IRCv3 capability negotiation, version 302). */
const CAP: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(server, client, { params }) {
    const sub = (params[0] ?? "").toUpperCase();
    switch (sub) {
      case "LS": {
        if (!client.registered) client.capNegotiating = true;
        // CAP LS 302 implies cap-notify.
        if (Number(params[1]) >= 302) client.caps |= Cap.capNotify;
        capReply(server, client, "LS", capList(offered(server)));
        return;
      }
      case "LIST":
        capReply(server, client, "LIST", capList(client.caps));
        return;
      case "REQ": {
        if (!client.registered) client.capNegotiating = true;
        const wanted = params[1] ?? "";
        let add = 0;
        let remove = 0;
        for (const item of wanted.split(" ").filter(Boolean)) {
          const off = item.startsWith("-");
          const bit = capNames.get(off ? item.slice(1) : item);
          if (bit === undefined || !(bit & offered(server))) {
            capReply(server, client, "NAK", wanted);
            return;
          }
          if (off) remove |= bit;
          else add |= bit;
        }
        client.caps = (client.caps | add) & ~remove;
        capReply(server, client, "ACK", wanted);
        return;
      }
      case "END":
        client.capNegotiating = false;
        tryRegister(server, client);
        return;
      default:
        server.reply(client, "410", params[0] ?? "", "Invalid CAP command");
    }
  },
};

export const capCommands = { CAP };
