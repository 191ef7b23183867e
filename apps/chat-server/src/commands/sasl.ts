import { saslMechanisms, startSasl, type SaslStep } from "../accounts/sasl.js";
import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import { ERR_SASLABORTED, ERR_SASLFAIL, ERR_SASLTOOLONG, RPL_LOGGEDIN, RPL_SASLMECHS, RPL_SASLSUCCESS } from "../numerics.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";

/** Longest AUTHENTICATE parameter (SASL 3.1): longer messages come in 400-byte chunks. */
const chunkBytes = 400;
/** Most bytes of base64 one client message may gather: enough for a long PLAIN password, not a memory sink. */
const maxMessageBytes = 4096;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Sends a server challenge as AUTHENTICATE lines of at most 400 bytes; `+` closes one that fills its last line (or is empty). */
function sendChallenge(context: CommandContext, connection: Connection, data: Buffer): void {
  const text = data.toString("base64");
  for (let i = 0; i < text.length; i += chunkBytes) context.sendFromServer(connection, "AUTHENTICATE", text.slice(i, i + chunkBytes));
  if (text.length % chunkBytes === 0) context.sendFromServer(connection, "AUTHENTICATE", "+");
}

/** 900: logged in as account, with the mask the user has (or will have). */
export function sendLoggedIn(context: CommandContext, connection: Connection, account: string): void {
  const { user } = connection;
  const mask = `${user.nick}!${user.user || "*"}@${user.host}`;
  context.reply(connection, RPL_LOGGEDIN, mask, account, `You are now logged in as ${account}`);
}

function finish(context: CommandContext, connection: Connection, step: SaslStep): void {
  if (step.kind === "continue") return sendChallenge(context, connection, step.challenge);
  connection.sasl = undefined;
  if (step.kind === "fail") {
    if (step.throttled) context.limitHit("login", connection);
    return context.reply(connection, ERR_SASLFAIL);
  }
  context.login(connection, step.login);
  sendLoggedIn(context, connection, step.login.account);
  context.reply(connection, RPL_SASLSUCCESS);
}

/** AUTHENTICATE (IRCv3 SASL 3.1 and 3.2): a mechanism, then base64 chunks; `*` aborts. Works after registration too (re-authentication). */
const AUTHENTICATE: Command = {
  minParams: 1,
  beforeRegistration: true,
  run(context, connection, { params }) {
    const { accounts } = context;
    const param = params[0] ?? "";
    if (!accounts || !(connection.caps & Cap.sasl)) return context.reply(connection, ERR_SASLFAIL);
    if (param === "*") {
      if (!connection.sasl) return context.reply(connection, ERR_SASLFAIL);
      connection.sasl = undefined;
      return context.reply(connection, ERR_SASLABORTED);
    }
    const state = connection.sasl;
    if (!state) {
      const started = startSasl(param, accounts, connection.ip, connection.certfp);
      if (!started) {
        context.reply(connection, RPL_SASLMECHS, saslMechanisms.join(","));
        return context.reply(connection, ERR_SASLFAIL);
      }
      connection.sasl = started;
      return context.sendFromServer(connection, "AUTHENTICATE", "+");
    }
    if (param.length > chunkBytes) {
      connection.sasl = undefined;
      return context.reply(connection, ERR_SASLTOOLONG);
    }
    if (param !== "+") {
      state.chunks.push(param);
      state.bytes += param.length;
      if (state.bytes > maxMessageBytes) {
        connection.sasl = undefined;
        return context.reply(connection, ERR_SASLFAIL);
      }
      // A full chunk means more may follow (or `+` if it was the last).
      if (param.length === chunkBytes) return;
    }
    const text = state.chunks.join("");
    state.chunks = [];
    state.bytes = 0;
    if (!base64Pattern.test(text)) {
      connection.sasl = undefined;
      return context.reply(connection, ERR_SASLFAIL);
    }
    // The exchange reads the store and hashes: the connection's next lines (NICK, CAP END) wait for its answer.
    const work = state.step(Buffer.from(text, "base64")).catch((error: unknown): SaslStep => {
      context.logger.error({ err: error }, "SASL exchange failed");
      return { kind: "fail", throttled: false };
    });
    context.hold(connection, work, (step) => finish(context, connection, step));
  },
};

export const saslCommands = { AUTHENTICATE };
