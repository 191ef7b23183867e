import type { IrcMessage } from "@netlab/irc-protocol";
import { foldCase } from "../casemap.js";
import type { Connection } from "../connection.js";
import { RPL_LOGGEDOUT } from "../numerics.js";
import { emailAcceptable, registerAccount } from "./account-registration.js";
import type { Command } from "./command.js";
import type { CommandContext } from "./context.js";
import { serviceNotice } from "./service-notice.js";
import { sendLoggedIn } from "./sasl.js";

/** The service's name, as clients address it (`/msg NickServ ...`, `/ns ...`). */
export const NICKSERV = "NickServ";

const helpLines = [
  "NickServ keeps accounts. Commands:",
  "REGISTER <password> [email]: register your current nick as an account and log in",
  "IDENTIFY [account] <password>: log in",
  "LOGOUT: log out",
  "PASSWD <current password> <new password>: change your password",
  "SET ALWAYS-ON ON|OFF|DEFAULT: stay on your channels with no device connected",
  "CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST: TLS certificates that log you in (SASL EXTERNAL)",
  "INFO: your account",
  "DROP <password>: delete your account",
];

function say(context: CommandContext, connection: Connection, text: string): void {
  connection.send(serviceNotice(NICKSERV, context.server.servicesName, connection.nick, text));
}

/** Runs work, then says what it gives; a store failure is said as such (and logged), never as a wrong password. */
function answer<T>(context: CommandContext, connection: Connection, work: Promise<T>, then: (value: T) => void): void {
  context.hold(connection, work, then, (error: unknown) => {
    context.logger.error({ err: error }, "NickServ command failed");
    say(context, connection, "Accounts are unavailable; try again later");
  });
}

function needLogin(context: CommandContext, connection: Connection): string | undefined {
  const account = connection.user.account;
  if (account === undefined) say(context, connection, "You are not logged in");
  return account;
}

/** One NickServ command line from connection. */
export function nickserv(context: CommandContext, connection: Connection, text: string): void {
  const { accounts } = context;
  if (!accounts) return say(context, connection, "This server keeps no accounts");
  const [word = "", ...args] = text.trim().split(/\s+/);
  const { user } = connection;
  switch (word.toUpperCase()) {
    case "REGISTER": {
      const [password, email] = args;
      if (!password) return say(context, connection, "Syntax: REGISTER <password> [email]");
      if (user.account !== undefined) return say(context, connection, `You are already logged in as ${user.account}`);
      // The same rules as REGISTER: a malformed address is refused, and none at all when the server requires one.
      if (!emailAcceptable(accounts, email)) return say(context, connection, email === undefined ? "An email address is required: REGISTER <password> <email>" : "That email address is not valid");
      return registerAccount(context, connection, connection.nick, email, password, (result) => {
        if (result === "ok") return say(context, connection, "Account created");
        const why = { exists: "That account already exists", "bad-name": "Your nick cannot be an account name", "bad-password": "That password is not acceptable", throttled: "Too many registrations from your address; try again later" }[result];
        say(context, connection, why);
      });
    }
    case "IDENTIFY": {
      const [first, second] = args;
      const name = second === undefined ? connection.nick : first;
      const password = second ?? first;
      if (!name || !password) return say(context, connection, "Syntax: IDENTIFY [account] <password>");
      return answer(context, connection, accounts.login(name, password, connection.ip), (result) => {
        if (!("account" in result)) {
          // Only a refusal for too many failures is a limit hit; a wrong password is not.
          if (result.failure === "throttled") context.limitHit("login", connection);
          return say(context, connection, result.failure === "throttled" ? "Too many failed logins; try again later" : "Invalid account name or password");
        }
        context.login(connection, result);
        sendLoggedIn(context, connection, result.account);
        say(context, connection, `You are now logged in as ${result.account}`);
      });
    }
    case "LOGOUT":
      if (needLogin(context, connection) === undefined) return;
      context.logout(connection);
      context.reply(connection, RPL_LOGGEDOUT, user.mask);
      return say(context, connection, "You are now logged out");
    case "PASSWD": {
      const account = needLogin(context, connection);
      const [current, next] = args;
      if (account === undefined) return;
      if (!current || !next) return say(context, connection, "Syntax: PASSWD <current password> <new password>");
      return answer(
        context,
        connection,
        accounts.login(account, current, connection.ip).then((result) => ("account" in result ? accounts.setPassword(account, next) : "wrong" as const)),
        (result) => say(context, connection, { ok: "Password changed", wrong: "Invalid password", missing: "Your account no longer exists", "bad-password": "That password is not acceptable" }[result]),
      );
    }
    case "SET": {
      const account = needLogin(context, connection);
      const [setting = "", value = ""] = args;
      if (account === undefined) return;
      if (setting.toUpperCase() !== "ALWAYS-ON" || !["ON", "OFF", "DEFAULT"].includes(value.toUpperCase())) return say(context, connection, "Syntax: SET ALWAYS-ON ON|OFF|DEFAULT");
      const choice = value.toUpperCase() === "DEFAULT" ? undefined : value.toUpperCase() === "ON";
      return answer(context, connection, accounts.store.update(account, { alwaysOn: choice }), () => {
        const alwaysOn = choice ?? accounts.options.alwaysOnDefault;
        context.login(connection, { account, alwaysOn });
        say(context, connection, `Always-on is now ${alwaysOn ? "on" : "off"}`);
      });
    }
    case "CERT":
      return cert(context, connection, args);
    case "INFO": {
      const account = needLogin(context, connection);
      if (account === undefined) return;
      return answer(context, connection, accounts.store.get(account), (record) => {
        if (!record) return say(context, connection, "Your account no longer exists");
        say(context, connection, `Account ${record.name}, registered ${new Date(record.registeredAt).toUTCString()}`);
        say(context, connection, `Always-on: ${(record.alwaysOn ?? accounts.options.alwaysOnDefault) ? "on" : "off"}; certificates: ${record.certfps.length}`);
      });
    }
    case "DROP": {
      const account = needLogin(context, connection);
      const [password] = args;
      if (account === undefined) return;
      if (!password) return say(context, connection, "Syntax: DROP <password>");
      return answer(
        context,
        connection,
        accounts.login(account, password, connection.ip).then((result) => ("account" in result ? accounts.store.drop(account) : undefined)),
        (dropped) => {
          if (dropped === undefined) return say(context, connection, "Invalid password");
          // Every connection here logged into it goes out with it: a later account of that name is not theirs.
          const folded = foldCase(account);
          for (const each of [...context.connections]) {
            const name = each.login?.account ?? each.user.account;
            if (each === connection || (name !== undefined && foldCase(name) === folded)) context.logout(each);
          }
          say(context, connection, `Account ${account} dropped`);
        },
      );
    }
    case "HELP":
    case "":
      for (const line of helpLines) say(context, connection, line);
      return;
    default:
      say(context, connection, `Unknown command ${word}; try HELP`);
  }
}

const fingerprintPattern = /^[0-9a-f]{64}$/;

/** CERT ADD [fingerprint] / DEL fingerprint / LIST: the certificates that log into the account with SASL EXTERNAL. */
function cert(context: CommandContext, connection: Connection, args: string[]): void {
  const { accounts } = context;
  const account = needLogin(context, connection);
  if (!accounts || account === undefined) return;
  const [action = "", given] = args;
  const fingerprint = (given ?? (action.toUpperCase() === "ADD" ? connection.certfp : undefined))?.replaceAll(":", "").toLowerCase();
  answer(context, connection, accounts.store.get(account), (record) => {
    if (!record) return say(context, connection, "Your account no longer exists");
    const list = record.certfps;
    switch (action.toUpperCase()) {
      case "LIST":
        say(context, connection, list.length ? `Certificates: ${list.join(" ")}` : "No certificates");
        return;
      case "ADD":
      case "DEL": {
        if (!fingerprint || !fingerprintPattern.test(fingerprint)) return say(context, connection, "Give a SHA-256 fingerprint (64 hex digits), or connect with TLS and a client certificate");
        const next = action.toUpperCase() === "ADD" ? [...new Set([...list, fingerprint])] : list.filter((each) => each !== fingerprint);
        answer(context, connection, accounts.store.update(account, { certfps: next }), () => say(context, connection, `Certificates: ${next.length ? next.join(" ") : "none"}`));
        return;
      }
      default:
        say(context, connection, "Syntax: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST");
    }
  });
}

function viaCommand(context: CommandContext, connection: Connection, message: IrcMessage): void {
  nickserv(context, connection, message.params.join(" "));
}

const NS: Command = { minParams: 0, run: viaCommand };

export const nickservCommands = { NS, NICKSERV: NS };
