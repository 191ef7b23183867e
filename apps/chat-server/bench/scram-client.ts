// Client side of SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding.
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import type { LineClient } from "./line-client.js";

/** The server's first message or its signature was not what SCRAM allows. */
export class ScramError extends Error {
  override readonly name = "ScramError";
}

export const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();

/** Runs the exchange after `AUTHENTICATE SCRAM-SHA-256` was accepted; checks the server's v=. */
export async function scramClient(client: LineClient, account: string, secret: string): Promise<void> {
  const clientNonce = randomBytes(18).toString("base64");
  const bare = `n=${account.replace(/=/g, "=3D").replace(/,/g, "=2C")},r=${clientNonce}`;
  client.send(`AUTHENTICATE ${base64(`n,,${bare}`)}`);
  const serverFirst = await client.challenge();
  const fields = new Map(serverFirst.split(",").map((field): [string, string] => [field.slice(0, 1), field.slice(2)]));
  const nonce = fields.get("r") ?? "";
  const salt = fields.get("s");
  const iterations = Number(fields.get("i"));
  if (!nonce.startsWith(clientNonce) || !salt || !Number.isInteger(iterations)) throw new ScramError(`bad server-first-message ${serverFirst}`);
  const salted = await new Promise<Buffer>((resolve, reject) => {
    pbkdf2(Buffer.from(secret.normalize("NFKC"), "utf8"), Buffer.from(salt, "base64"), iterations, 32, "sha256", (error, key) => (error ? reject(error) : resolve(key)));
  });
  const clientKey = hmac(salted, "Client Key");
  const storedKey = createHash("sha256").update(clientKey).digest();
  const withoutProof = `c=${base64("n,,")},r=${nonce}`;
  const authMessage = `${bare},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = (clientKey[i] as number) ^ (signature[i] as number);
  client.send(`AUTHENTICATE ${base64(`${withoutProof},p=${proof.toString("base64")}`)}`);
  const serverFinal = await client.challenge();
  const expected = Buffer.from(`v=${hmac(hmac(salted, "Server Key"), authMessage).toString("base64")}`, "utf8");
  const got = Buffer.from(serverFinal, "utf8");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new ScramError(`server signature does not match: ${serverFinal}`);
  client.send("AUTHENTICATE +");
}
