import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual, X509Certificate } from "node:crypto";
import tls from "node:tls";
import { RawClient } from "./raw-client.js";

/** The client side of SASL for behaviour tests: AUTHENTICATE in 400-byte chunks, PLAIN and SCRAM-SHA-256. */

export const b64 = (data: string | Buffer): string => Buffer.from(data).toString("base64");

/** `authzid NUL authcid NUL password` (RFC 4616). */
export const plainPayload = (authcid: string, password: string, authzid = ""): string => b64(`${authzid}\0${authcid}\0${password}`);

/** Sends base64 text as AUTHENTICATE lines of 400 bytes; `+` ends a message that fills its last line (or is empty). */
export function sendChunks(client: RawClient, text: string): void {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 400) lines.push(`AUTHENTICATE ${text.slice(i, i + 400)}`);
  if (text.length % 400 === 0) lines.push("AUTHENTICATE +");
  client.send(...lines);
}

/** Reads a server challenge: AUTHENTICATE lines up to one shorter than 400 bytes (`+` is empty); undefined when 904 comes instead. */
export async function readChallenge(client: RawClient): Promise<Buffer | undefined> {
  let text = "";
  for (;;) {
    const line = await client.expect(/^:\S+ (AUTHENTICATE \S+|904 .*)$/);
    if (/^:\S+ 904 /.test(line)) return undefined;
    const chunk = line.split(" ")[2] ?? "";
    if (chunk !== "+") text += chunk;
    if (chunk.length < 400) return Buffer.from(text, "base64");
  }
}

/** A connection that asked for sasl (and caps), with CAP negotiation left open so it does not register yet. */
export async function saslConnection(port: number, caps: string[] = [], connect: () => Promise<RawClient> = () => RawClient.connect(port)): Promise<RawClient> {
  const client = await connect();
  client.send("CAP LS 302", `CAP REQ :${["sasl", ...caps].join(" ")}`);
  await client.expect(/ CAP \S+ ACK :sasl/);
  return client;
}

/** AUTHENTICATE PLAIN with these credentials; the reply that ends it: "903" or "904". */
export async function plainLogin(client: RawClient, authcid: string, password: string, authzid = ""): Promise<string> {
  client.send("AUTHENTICATE PLAIN");
  await client.expect(/^:\S+ AUTHENTICATE \+$/);
  sendChunks(client, plainPayload(authcid, password, authzid));
  const end = await client.expect(/ 90[3-8] /);
  return / (90[3-8]) /.exec(end)?.[1] ?? "";
}

/** Finishes registration of a connection left in CAP negotiation; resolves after the welcome burst. */
export async function finishRegistration(client: RawClient, nick: string): Promise<void> {
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`, "CAP END");
  await client.expect(/ (376|422) /);
}

/** A registered connection logged into account with SASL PLAIN (fails the test if the login does). */
export async function loggedIn(port: number, nick: string, account: string, password: string, caps: string[] = []): Promise<RawClient> {
  const client = await saslConnection(port, caps);
  const result = await plainLogin(client, account, password);
  if (result !== "903") throw new Error(`SASL PLAIN as ${account} gave ${result}:\n${client.lines.join("\n")}`);
  await finishRegistration(client, nick);
  return client;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();

export interface ScramResult {
  /** "903" or "904". */
  reply: string;
  /** The server-first message, when it came. */
  serverFirst: string | undefined;
  /** True when the server's `v=` signature was the one the password gives. */
  serverVerified: boolean;
}

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) from the client's side, written from the RFC: client-first
 * `n,,n=user,r=nonce`, SaltedPassword with PBKDF2-SHA-256, ClientProof, then the server's `v=` checked.
 */
export async function scramLogin(client: RawClient, user: string, password: string, authzid?: string): Promise<ScramResult> {
  client.send("AUTHENTICATE SCRAM-SHA-256");
  await client.expect(/^:\S+ AUTHENTICATE \+$/);
  const clientNonce = randomBytes(18).toString("base64");
  const saslname = (name: string): string => name.replace(/=/g, "=3D").replace(/,/g, "=2C");
  const gs2Header = `n,${authzid === undefined ? "" : `a=${saslname(authzid)}`},`;
  const bare = `n=${saslname(user)},r=${clientNonce}`;
  sendChunks(client, b64(`${gs2Header}${bare}`));
  const first = (await readChallenge(client))?.toString("utf8");
  if (first === undefined) return { reply: "904", serverFirst: undefined, serverVerified: false };
  const attrs = new Map(first.split(",").map((part) => [part.slice(0, 1), part.slice(2)] as const));
  const nonce = attrs.get("r") ?? "";
  const salt = Buffer.from(attrs.get("s") ?? "", "base64");
  const iterations = Number(attrs.get("i"));
  if (!nonce.startsWith(clientNonce) || nonce.length <= clientNonce.length) throw new Error(`server nonce ${nonce} does not extend ${clientNonce}`);
  const withoutProof = `c=${b64(gs2Header)},r=${nonce}`;
  const authMessage = `${bare},${first},${withoutProof}`;
  const saltedPassword = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = hmac(saltedPassword, "Client Key");
  const storedKey = createHash("sha256").update(clientKey).digest();
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
  sendChunks(client, b64(`${withoutProof},p=${proof.toString("base64")}`));
  const final = (await readChallenge(client))?.toString("utf8");
  if (final === undefined) return { reply: "904", serverFirst: first, serverVerified: false };
  const expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
  const given = Buffer.from(final.replace(/^v=/, ""), "base64");
  const serverVerified = final.startsWith("v=") && given.length === expected.length && timingSafeEqual(given, expected);
  client.send("AUTHENTICATE +");
  const end = await client.expect(/ 90[34] /);
  return { reply: / (90[34]) /.exec(end)?.[1] ?? "", serverFirst: first, serverVerified };
}

/** A TLS connection to port, with a client certificate when given one. */
export async function tlsConnect(port: number, cert?: { cert: Buffer; key: Buffer }): Promise<RawClient> {
  const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ...(cert && { cert: cert.cert, key: cert.key }) });
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", resolve);
    socket.once("error", reject);
  });
  return new RawClient(socket);
}

/** A certificate's SHA-256 fingerprint as the server keeps it: lowercase hex, no colons. */
export const fingerprint = (pem: Buffer): string => new X509Certificate(pem).fingerprint256.replaceAll(":", "").toLowerCase();
