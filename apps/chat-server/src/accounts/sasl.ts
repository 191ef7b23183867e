import { foldCase } from "../casemap.js";
import type { Accounts } from "./accounts.js";
import type { LoggedIn } from "./logged-in.js";

/** The mechanisms offered, in the order 908 and CAP LS list them. */
export const saslMechanisms = ["PLAIN", "EXTERNAL", "SCRAM-SHA-256"] as const;
export type SaslMechanism = (typeof saslMechanisms)[number];

/** What one step of an exchange gives: a challenge to send, the account logged into, or a failure. */
export type SaslStep = { kind: "continue"; challenge: Buffer } | { kind: "success"; login: LoggedIn } | { kind: "fail"; throttled: boolean };

/** A connection's SASL exchange: the mechanism, the chunks of the client's current message, and the next step. */
export interface SaslState {
  readonly mechanism: SaslMechanism;
  /** Base64 pieces of the message being received (400-byte chunks). */
  chunks: string[];
  bytes: number;
  step(data: Buffer): Promise<SaslStep>;
}

const fail = (throttled = false): SaslStep => ({ kind: "fail", throttled });

/** PLAIN (RFC 4616): `authzid NUL authcid NUL password`; an authzid other than the authcid is refused. */
function plain(accounts: Accounts, ip: string): SaslState["step"] {
  return async (data) => {
    const parts = data.toString("utf8").split("\0");
    if (parts.length !== 3) return fail();
    const [authzid = "", authcid = "", password = ""] = parts;
    if (!authcid || !password) return fail();
    // Names compare as the stores key them (CASEMAPPING=rfc1459): [ and { are the same letter.
    if (authzid && foldCase(authzid) !== foldCase(authcid)) return fail();
    const result = await accounts.login(authcid, password, ip);
    return "account" in result ? { kind: "success", login: result } : fail(result.failure === "throttled");
  };
}

/** EXTERNAL: the TLS client certificate's fingerprint names the account; an authzid, if any, must be that account. */
function external(accounts: Accounts, certfp: string | undefined): SaslState["step"] {
  return async (data) => {
    if (!certfp) return fail();
    const login = await accounts.byCertfp(certfp);
    const authzid = data.toString("utf8");
    if (!login || (authzid && foldCase(authzid) !== foldCase(login.account))) return fail();
    return { kind: "success", login };
  };
}

/** SCRAM-SHA-256 (RFC 7677): two client messages, then the client's empty answer to the server's final one. */
function scram(accounts: Accounts, ip: string): SaslState["step"] {
  const exchange = accounts.scram(ip);
  let login: LoggedIn | undefined;
  let user: string | undefined;
  return async (data) => {
    if (login !== undefined) return data.length === 0 ? { kind: "success", login } : fail();
    user ??= /(?:^|,)n=([^,]*)/.exec(data.toString("utf8"))?.[1];
    const step = await exchange.step(data);
    if (step.kind === "continue") return { kind: "continue", challenge: step.reply };
    if (step.kind === "success") {
      login = await accounts.find(step.account);
      return login ? { kind: "continue", challenge: step.reply } : fail();
    }
    accounts.scramFailed(step.reason === "bad-proof" ? user : undefined, ip);
    return fail();
  };
}

/** Starts an exchange, or undefined for a mechanism not offered. */
export function startSasl(name: string, accounts: Accounts, ip: string, certfp: string | undefined): SaslState | undefined {
  const mechanism = saslMechanisms.find((each) => each === name.toUpperCase());
  if (!mechanism) return undefined;
  const step = mechanism === "PLAIN" ? plain(accounts, ip) : mechanism === "EXTERNAL" ? external(accounts, certfp) : scram(accounts, ip);
  return { mechanism, chunks: [], bytes: 0, step };
}
