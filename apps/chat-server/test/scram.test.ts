import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { scramCredentials } from "../src/accounts/passwords.js";
import { ScramExchange, type ScramStep } from "../src/accounts/scram.js";
import type { ScramCredentials } from "../src/accounts/store.js";

const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();
const sha256 = (data: Buffer): Buffer => createHash("sha256").update(data).digest();
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** A store of one or more accounts, by exact name. */
function lookupOf(accounts: Record<string, ScramCredentials>): (user: string) => Promise<ScramCredentials | undefined> {
  return async (user) => accounts[user];
}

function reply(step: ScramStep): string {
  if (step.kind === "fail") throw new Error(`unexpected fail: ${step.reason}`);
  return step.reply.toString("utf8");
}

function attributes(message: string): Map<string, string> {
  return new Map(message.split(",").map((part) => [part.slice(0, 1), part.slice(2)]));
}

/** The client side of RFC 5802, written from the RFC: the proof for a server-first message. */
function clientFinal(password: string, clientFirstBare: string, serverFirst: string, gs2Header = "n,,"): { message: string; serverSignature: string } {
  const attrs = attributes(serverFirst);
  const salted = pbkdf2Sync(password.normalize("NFKC"), Buffer.from(attrs.get("s") ?? "", "base64"), Number(attrs.get("i")), 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  const withoutProof = `c=${b64(gs2Header)},r=${attrs.get("r") ?? ""}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(sha256(clientKey), authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
  return { message: `${withoutProof},p=${proof.toString("base64")}`, serverSignature: hmac(hmac(salted, "Server Key"), authMessage).toString("base64") };
}

const send = (exchange: ScramExchange, text: string): Promise<ScramStep> => exchange.step(Buffer.from(text, "utf8"));

describe("ScramExchange", () => {
  test("RFC 7677 section 3 example", async () => {
    const credentials = await scramCredentials("pencil", 4096, Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64"));
    const exchange = new ScramExchange(lookupOf({ user: credentials }), { nonce: () => "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0" });
    const first = await send(exchange, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    expect(reply(first)).toBe("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    const final = await send(exchange, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    expect(final).toEqual({ kind: "success", account: "user", reply: Buffer.from("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") });
    // Nothing more after success.
    expect(await exchange.step(Buffer.alloc(0))).toEqual({ kind: "fail", reason: "malformed" });
  });

  test("a full exchange with random nonces, a non-ASCII password and the y,, header", async () => {
    const credentials = await scramCredentials("sésame ✓");
    for (const gs2Header of ["n,,", "y,,", "n,a=alice,"]) {
      const exchange = new ScramExchange(lookupOf({ alice: credentials }));
      const clientNonce = randomBytes(18).toString("base64");
      const bare = `n=alice,r=${clientNonce}`;
      const serverFirst = reply(await send(exchange, `${gs2Header}${bare}`));
      const attrs = attributes(serverFirst);
      expect(attrs.get("r")?.startsWith(clientNonce)).toBe(true);
      // 24 random bytes in base64 after the client's part.
      expect(attrs.get("r")).toHaveLength(clientNonce.length + 32);
      expect(attrs.get("s")).toBe(credentials.salt);
      expect(attrs.get("i")).toBe("4096");
      const { message, serverSignature } = clientFinal("sésame ✓", bare, serverFirst, gs2Header);
      const final = await send(exchange, message);
      expect(final).toEqual({ kind: "success", account: "alice", reply: Buffer.from(`v=${serverSignature}`) });
    }
  });

  test("the server nonce differs between exchanges", async () => {
    const credentials = await scramCredentials("pw");
    const nonces = await Promise.all(
      [1, 2].map(async () => attributes(reply(await send(new ScramExchange(lookupOf({ bob: credentials })), "n,,n=bob,r=abc"))).get("r")),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test("a wrong password fails at the proof", async () => {
    const exchange = new ScramExchange(lookupOf({ bob: await scramCredentials("right") }));
    const serverFirst = reply(await send(exchange, "n,,n=bob,r=nonce1"));
    expect(await send(exchange, clientFinal("wrong", "n=bob,r=nonce1", serverFirst).message)).toEqual({ kind: "fail", reason: "bad-proof" });
    expect(await send(exchange, "anything")).toEqual({ kind: "fail", reason: "malformed" });
  });

  test("an unknown user gets a stable fake salt and fails only at the proof", async () => {
    const known = await scramCredentials("pw");
    const lookup = lookupOf({ bob: known });
    const start = async (user: string): Promise<{ exchange: ScramExchange; serverFirst: string }> => {
      const exchange = new ScramExchange(lookup);
      return { exchange, serverFirst: reply(await send(exchange, `n,,n=${user},r=xyz`)) };
    };
    const { exchange, serverFirst } = await start("nobody");
    const attrs = attributes(serverFirst);
    expect(Buffer.from(attrs.get("s") ?? "", "base64")).toHaveLength(16);
    expect(attrs.get("i")).toBe("4096");
    // The same name gets the same salt each time; another name another.
    expect(attributes((await start("nobody")).serverFirst).get("s")).toBe(attrs.get("s"));
    expect(attributes((await start("nobody2")).serverFirst).get("s")).not.toBe(attrs.get("s"));
    expect(await send(exchange, clientFinal("pw", "n=nobody,r=xyz", serverFirst).message)).toEqual({ kind: "fail", reason: "unknown-user" });
  });

  test("fake iterations can match the server's configured count", async () => {
    const exchange = new ScramExchange(lookupOf({}), { fakeIterations: 10000 });
    expect(attributes(reply(await send(exchange, "n,,n=x,r=y"))).get("i")).toBe("10000");
  });

  test("escaped user names are decoded before lookup", async () => {
    const credentials = await scramCredentials("pw");
    const seen: string[] = [];
    const exchange = new ScramExchange(async (user) => (seen.push(user), user === "a,b=c" ? credentials : undefined));
    const bare = "n=a=2Cb=3Dc,r=n0nce";
    const serverFirst = reply(await send(exchange, `n,,${bare}`));
    expect(seen).toEqual(["a,b=c"]);
    const final = await send(exchange, clientFinal("pw", bare, serverFirst).message);
    expect(final).toMatchObject({ kind: "success", account: "a,b=c" });
  });

  test.each([
    ["empty", ""],
    ["no gs2 header", "n=user,r=abc"],
    ["channel binding p=", "p=tls-unique,,n=user,r=abc"],
    ["unknown cbind flag", "x,,n=user,r=abc"],
    ["cbind flag p without a name", "p,,n=user,r=abc"],
    ["authzid of another user", "n,a=admin,n=user,r=abc"],
    ["empty authzid", "n,a=,n=user,r=abc"],
    ["missing user", "n,,r=abc"],
    ["empty user", "n,,n=,r=abc"],
    ["missing nonce", "n,,n=user"],
    ["empty nonce", "n,,n=user,r="],
    ["nonce with a space", "n,,n=user,r=a b"],
    ["mandatory extension", "n,,m=ext,n=user,r=abc"],
    ["bad escape", "n,,n=us=2Aer,r=abc"],
    ["lowercase escape", "n,,n=us=2cer,r=abc"],
    ["bare =", "n,,n=us=er,r=abc"],
    ["malformed extension", "n,,n=user,r=abc,junk"],
  ])("client-first: %s is malformed", async (_name, text) => {
    let looked = false;
    const exchange = new ScramExchange(async () => ((looked = true), undefined));
    expect(await send(exchange, text)).toEqual({ kind: "fail", reason: "malformed" });
    expect(looked).toBe(false);
    // The exchange is over.
    expect(await send(exchange, "n,,n=user,r=abc")).toEqual({ kind: "fail", reason: "malformed" });
  });

  test("client-first: invalid UTF-8 and NUL are malformed", async () => {
    const exchange = new ScramExchange(lookupOf({}));
    expect(await exchange.step(Buffer.concat([Buffer.from("n,,n="), Buffer.from([0xff]), Buffer.from(",r=abc")]))).toEqual({ kind: "fail", reason: "malformed" });
    expect(await send(new ScramExchange(lookupOf({})), "n,,n=us\0er,r=abc")).toEqual({ kind: "fail", reason: "malformed" });
  });

  test("client-first: extensions after the nonce are ignored", async () => {
    const exchange = new ScramExchange(lookupOf({ user: await scramCredentials("pw") }));
    expect(await send(exchange, "n,,n=user,r=abc,x=future")).toMatchObject({ kind: "continue" });
  });

  describe("client-final", () => {
    async function started(): Promise<{ exchange: ScramExchange; good: string; nonce: string }> {
      const exchange = new ScramExchange(lookupOf({ user: await scramCredentials("pw") }));
      const serverFirst = reply(await send(exchange, "n,,n=user,r=abc"));
      return { exchange, good: clientFinal("pw", "n=user,r=abc", serverFirst).message, nonce: attributes(serverFirst).get("r") ?? "" };
    }

    test("the good message succeeds (control)", async () => {
      const { exchange, good } = await started();
      expect(await send(exchange, good)).toMatchObject({ kind: "success", account: "user" });
    });

    const cases: [string, (good: string, nonce: string) => string][] = [
      ["no proof", (good) => good.replace(/,p=.*$/, "")],
      ["empty proof", (good) => good.replace(/,p=.*$/, ",p=")],
      ["proof not base64", (good) => good.replace(/,p=.*$/, ",p=!!!!notbase64!!!!")],
      ["proof missing padding", (good) => good.replace(/=$/, "")],
      ["proof too short", (good) => good.replace(/,p=.*$/, `,p=${Buffer.alloc(16).toString("base64")}`)],
      ["attribute after the proof", (good) => `${good},x=1`],
      ["no channel binding", (good) => good.replace("c=biws,", "")],
      ["channel binding of another header", (good) => good.replace("c=biws", `c=${b64("y,,")}`)],
      ["channel binding p=", (good) => good.replace("c=biws", `c=${b64("p=tls-unique,,")}`)],
      ["channel binding not base64", (good) => good.replace("c=biws", "c=b!ws")],
      ["wrong nonce", (good, nonce) => good.replace(`r=${nonce}`, `r=${nonce}x`)],
      ["only the client nonce", (good, nonce) => good.replace(`r=${nonce}`, "r=abc")],
      ["nonce first", (good, nonce) => good.replace(`c=biws,r=${nonce}`, `r=${nonce},c=biws`)],
    ];
    test.each(cases)("%s is malformed", async (_name, change) => {
      const { exchange, good, nonce } = await started();
      expect(await send(exchange, change(good, nonce))).toEqual({ kind: "fail", reason: "malformed" });
      expect(await send(exchange, good)).toEqual({ kind: "fail", reason: "malformed" });
    });

    test("a flipped proof bit fails as bad-proof", async () => {
      const { exchange, good } = await started();
      const proof = Buffer.from(good.slice(good.indexOf(",p=") + 3), "base64");
      proof[0] = (proof[0] ?? 0) ^ 1;
      expect(await send(exchange, good.replace(/,p=.*$/, `,p=${proof.toString("base64")}`))).toEqual({ kind: "fail", reason: "bad-proof" });
    });
  });

  test("a lookup that rejects rejects the step and ends the exchange", async () => {
    const exchange = new ScramExchange(() => Promise.reject(new Error("store down")));
    await expect(send(exchange, "n,,n=user,r=abc")).rejects.toThrow("store down");
    expect(await send(exchange, "c=biws,r=abc,p=AAAA")).toEqual({ kind: "fail", reason: "malformed" });
  });
});
