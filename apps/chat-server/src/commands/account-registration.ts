import type { Accounts, RegisterResult } from "../accounts/accounts.js";
import { foldCase } from "../casemap.js";
import type { Connection } from "../connection.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { sendLoggedIn } from "./sasl.js";
import { fail } from "./standard-replies.js";

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether an email address (undefined: none given) will do for a new account: well formed when given, given when the server requires one. */
export function emailAcceptable(accounts: Accounts, email: string | undefined): boolean {
  return email === undefined ? !accounts.options.emailRequired : emailPattern.test(email);
}

/** What REGISTER answers for each refusal (draft/account-registration codes). */
const registerFailures: Record<Exclude<RegisterResult, "ok">, [code: string, text: string]> = {
  exists: ["ACCOUNT_EXISTS", "Account already exists"],
  "bad-name": ["BAD_ACCOUNT_NAME", "Account name is not valid"],
  "bad-password": ["UNACCEPTABLE_PASSWORD", "Password is not acceptable (1 to 600 bytes, no NUL)"],
  throttled: ["TEMPORARILY_UNAVAILABLE", "Too many registrations from your address; try again later"],
};

/** The nick a connection goes by for `*`: its own, or before registration the last one it asked for. */
function nickOf(connection: Connection): string | undefined {
  if (connection.nick !== "*") return connection.nick;
  return connection.requestedNick;
}

/**
 * Registers an account named after the connection's nick and logs the connection into it:
 * REGISTER and NickServ REGISTER. done gets the outcome; on success the connection is logged in.
 */
export function registerAccount(context: CommandContext, connection: Connection, name: string, email: string | undefined, password: string, done: (result: RegisterResult) => void): void {
  const { accounts } = context;
  if (!accounts) return;
  // A nick someone else holds cannot be registered out from under them.
  const holder = context.network.nickHolder(name);
  if (holder && holder !== connection.user) return done("exists");
  context.hold(
    connection,
    accounts.register(name, password, email, connection.ip),
    (result) => {
      if (result === "ok") {
        context.login(connection, { account: name, alwaysOn: accounts.options.alwaysOnDefault });
        done(result);
        sendLoggedIn(context, connection, name);
      } else done(result);
    },
    (error: unknown) => {
      context.logger.error({ err: error }, "account registration failed");
      fail(context, connection, "REGISTER", "TEMPORARILY_UNAVAILABLE", [name], "Accounts are unavailable; try again later");
    },
  );
}

/** REGISTER account email password (draft/account-registration): the account is the nick; no email is sent, so none needs verifying. */
const REGISTER: Command = {
  minParams: 3,
  beforeRegistration: true,
  run(context, connection, { params }) {
    const { accounts } = context;
    const [requested = "", email = "", password = ""] = params;
    if (!accounts) return fail(context, connection, "REGISTER", "TEMPORARILY_UNAVAILABLE", [requested], "This server keeps no accounts");
    if (!connection.registered && !accounts.options.beforeConnect) {
      return fail(context, connection, "REGISTER", "COMPLETE_CONNECTION_REQUIRED", [requested], "Finish connecting before you register");
    }
    if (connection.login) return fail(context, connection, "REGISTER", "ALREADY_AUTHENTICATED", [connection.login.account], "You are already logged in");
    const nick = nickOf(connection);
    if (!nick) return fail(context, connection, "REGISTER", "NEED_NICK", [requested], "Choose a nick first");
    const name = requested === "*" ? nick : requested;
    if (foldCase(name) !== foldCase(nick)) return fail(context, connection, "REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", [name], "The account name must be your nick");
    const address = email === "*" ? undefined : email;
    if (!emailAcceptable(accounts, address)) {
      return fail(context, connection, "REGISTER", "INVALID_EMAIL", [name], "A valid email address is required");
    }
    registerAccount(context, connection, name, address, password, (result) => {
      if (result === "ok") return context.sendFromServer(connection, "REGISTER", "SUCCESS", name, "Account successfully registered");
      const [code, text] = registerFailures[result];
      fail(context, connection, "REGISTER", code, [name], text);
    });
  },
};

/** VERIFY account code: accounts are active once registered (no email is sent), so there is never a code to check. */
const VERIFY: Command = {
  minParams: 2,
  beforeRegistration: true,
  run(context, connection, { params }) {
    fail(context, connection, "VERIFY", "INVALID_CODE", [params[0] ?? "*"], "No verification is pending: accounts are active once registered");
  },
};

export const accountRegistrationCommands = { REGISTER, VERIFY };
