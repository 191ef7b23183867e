import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { foldCase } from "../casemap.js";
import type { ScramCredentials } from "./store.js";

/** What one client message gives: the next server message, the account with the server-final `v=` message, or why it failed. */
export type ScramStep =
  | { kind: "continue"; reply: Buffer }
  | { kind: "success"; account: string; reply: Buffer }
  | { kind: "fail"; reason: "malformed" | "unknown-user" | "bad-proof" };

export type ScramLookup = (user: string) => Promise<ScramCredentials | undefined>;

export interface ScramOptions {
  /** The server's part of the nonce (printable ASCII without ","); 24 random bytes in base64 unless given (test vectors). */
  nonce?: () => string;
  /** Iterations announced for an unknown user: the same as real accounts', so they look alike. */
  fakeIterations?: number;
}

// Fake salts depend on the name (the same on every try) but cannot be told from real ones without this key.
const fakeSaltKey = randomBytes(32);

const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();
const sha256 = (data: Buffer): Buffer => createHash("sha256").update(data).digest();

/** Strict padded base64 (Buffer.from ignores junk): undefined unless text re-encodes to itself. */
function fromBase64(text: string): Buffer | undefined {
  const data = Buffer.from(text, "base64");
  return text.length > 0 && data.toString("base64") === text ? data : undefined;
}

/** A saslname with `=2C` and `=3D` decoded; undefined if empty or with another `=` escape. */
function decodeName(text: string): string | undefined {
  if (!/^(?:[^=,]|=2C|=3D)+$/.test(text)) return undefined;
  return text.replace(/=2C|=3D/g, (escape) => (escape === "=2C" ? "," : "="));
}

// RFC 5802 nonce: printable ASCII except ",".
const noncePattern = /^[\x21-\x2b\x2d-\x7e]+$/;
// Extension attributes (ignored): one letter, "=", a value.
const extensionPattern = /^[A-Za-z]=[^,]*$/;

interface FirstMessage {
  gs2Header: string;
  bare: string;
  user: string;
  clientNonce: string;
}

function parseFirst(text: string): FirstMessage | undefined {
  const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(text);
  if (!match) return undefined;
  const [, flag = "", authzid, bare = ""] = match;
  const [name = "", nonce = "", ...extensions] = bare.split(",");
  // m= (reserved mandatory extension) must fail; it would sit where n= is.
  if (!name.startsWith("n=") || !nonce.startsWith("r=") || !extensions.every((each) => extensionPattern.test(each))) return undefined;
  const user = decodeName(name.slice(2));
  const clientNonce = nonce.slice(2);
  if (user === undefined || !noncePattern.test(clientNonce)) return undefined;
  // No proxy logins: an authzid must name the user authenticating (as the stores key names: CASEMAPPING=rfc1459).
  const named = authzid === undefined ? undefined : decodeName(authzid.slice(2));
  if (authzid !== undefined && (named === undefined || foldCase(named) !== foldCase(user))) return undefined;
  return { gs2Header: `${flag},${authzid ?? ""},`, bare, user, clientNonce };
}

/** Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: feed it each client message in turn. */
export class ScramExchange {
  private stage: "first" | "final" | "done" = "first";
  private first: FirstMessage | undefined;
  private credentials: ScramCredentials | undefined;
  private serverFirst = "";
  private nonce = "";

  constructor(
    private readonly lookup: ScramLookup,
    private readonly options: ScramOptions = {},
  ) {}

  /** The next step; a message after success or failure is malformed. Rejects only if lookup does. */
  async step(message: Buffer): Promise<ScramStep> {
    const stage = this.stage;
    // Done until proven otherwise, so a throw or an overlapping call cannot reuse this exchange.
    this.stage = "done";
    const text = message.toString("utf8");
    if (!Buffer.from(text, "utf8").equals(message) || text.includes("\0")) return { kind: "fail", reason: "malformed" };
    if (stage === "first") return this.clientFirst(text);
    if (stage === "final") return this.clientFinal(text);
    return { kind: "fail", reason: "malformed" };
  }

  private async clientFirst(text: string): Promise<ScramStep> {
    const first = parseFirst(text);
    if (!first) return { kind: "fail", reason: "malformed" };
    this.credentials = await this.lookup(first.user);
    // An unknown user gets a salt and count like a real one and fails only at the proof: no early "no such account".
    const salt = this.credentials?.salt ?? hmac(fakeSaltKey, first.user).subarray(0, 16).toString("base64");
    const iterations = this.credentials?.iterations ?? this.options.fakeIterations ?? 4096;
    this.first = first;
    this.nonce = first.clientNonce + (this.options.nonce?.() ?? randomBytes(24).toString("base64"));
    this.serverFirst = `r=${this.nonce},s=${salt},i=${iterations}`;
    this.stage = "final";
    return { kind: "continue", reply: Buffer.from(this.serverFirst, "utf8") };
  }

  private clientFinal(text: string): ScramStep {
    const first = this.first;
    const proofAt = text.lastIndexOf(",p=");
    if (!first || proofAt < 0) return { kind: "fail", reason: "malformed" };
    const withoutProof = text.slice(0, proofAt);
    const proof = fromBase64(text.slice(proofAt + 3));
    const [binding = "", nonce = "", ...extensions] = withoutProof.split(",");
    if (!proof || proof.length !== 32 || !extensions.every((each) => extensionPattern.test(each))) return { kind: "fail", reason: "malformed" };
    // The client must echo the gs2 header it sent (biws for "n,,"); anything else is a downgrade or a bug.
    if (binding !== `c=${Buffer.from(first.gs2Header, "utf8").toString("base64")}` || nonce !== `r=${this.nonce}`) return { kind: "fail", reason: "malformed" };
    const credentials = this.credentials;
    if (!credentials) return { kind: "fail", reason: "unknown-user" };
    const authMessage = `${first.bare},${this.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(credentials.storedKey, "base64");
    const clientKey = xor(proof, hmac(storedKey, authMessage));
    const computed = sha256(clientKey);
    if (computed.length !== storedKey.length || !timingSafeEqual(computed, storedKey)) return { kind: "fail", reason: "bad-proof" };
    const serverSignature = hmac(Buffer.from(credentials.serverKey, "base64"), authMessage);
    return { kind: "success", account: first.user, reply: Buffer.from(`v=${serverSignature.toString("base64")}`, "utf8") };
  }
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}
