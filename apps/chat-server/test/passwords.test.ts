import { describe, expect, test } from "vitest";
import { checkPasswordRules, defaultScryptCost, hashPassword, parseScryptCost, PasswordError, scramCredentials, verifyPassword, type ScryptCost } from "../src/accounts/passwords.js";

// Cheap enough for tests; the default's cost is measured in passwords.ts.
const cheap: ScryptCost = { ln: 10, r: 8, p: 1 };

function passwordErrorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof PasswordError) return error.code;
    throw error;
  }
  return undefined;
}

describe("hashPassword / verifyPassword", () => {
  test("a hash verifies its password and no other", async () => {
    const stored = await hashPassword("correct horse", cheap);
    expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsf", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  test("non-ASCII passwords are compared as UTF-8 bytes (no normalisation)", async () => {
    const stored = await hashPassword("pässwörd ✓ 🔑", cheap);
    expect(await verifyPassword("pässwörd ✓ 🔑", stored)).toBe(true);
    // The same text decomposed (a + combining diaeresis) is other bytes.
    expect(await verifyPassword("pa\u0308sswo\u0308rd ✓ 🔑", stored)).toBe(false);
  });

  test("two hashes of one password differ by their salt", async () => {
    const [a, b] = await Promise.all([hashPassword("same", cheap), hashPassword("same", cheap)]);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
  });

  test("the stored string does not contain the password in any common encoding", async () => {
    const password = "hunter2-very-secret";
    const stored = await hashPassword(password, cheap);
    const bytes = Buffer.from(password, "utf8");
    for (const form of [password, bytes.toString("base64"), bytes.toString("base64").replace(/=+$/, ""), bytes.toString("hex")]) {
      expect(stored).not.toContain(form);
    }
  });

  test("the cost comes from the stored string, not the default", async () => {
    const stored = await hashPassword("old hash", { ln: 11, r: 4, p: 2 });
    expect(stored.startsWith("$scrypt$ln=11,r=4,p=2$")).toBe(true);
    expect(await verifyPassword("old hash", stored)).toBe(true);
    // The same salt and hash read at another cost no longer match.
    expect(await verifyPassword("old hash", stored.replace("ln=11", "ln=10"))).toBe(false);
  });

  test("the default cost hashes and verifies", async () => {
    expect(defaultScryptCost).toEqual({ ln: 15, r: 8, p: 1 });
    const stored = await hashPassword("default");
    expect(stored.startsWith("$scrypt$ln=15,r=8,p=1$")).toBe(true);
    expect(await verifyPassword("default", stored)).toBe(true);
  });

  test("malformed stored strings verify as false without throwing", async () => {
    const good = await hashPassword("pw", cheap);
    const [, , params = "", salt = "", hash = ""] = good.split("$");
    const bad = [
      "",
      "pw",
      "$scrypt$",
      `$argon2id$${params}$${salt}$${hash}`,
      `$scrypt$${params}$${salt}`,
      `$scrypt$${params}$${salt}$${hash}$`,
      `$scrypt$ln=10,r=8$${salt}$${hash}`,
      `$scrypt$r=8,ln=10,p=1$${salt}$${hash}`,
      `$scrypt$ln=9,r=8,p=1$${salt}$${hash}`,
      `$scrypt$ln=23,r=8,p=1$${salt}$${hash}`,
      `$scrypt$ln=10,r=0,p=1$${salt}$${hash}`,
      `$scrypt$ln=10,r=8,p=99$${salt}$${hash}`,
      `$scrypt$${params}$${salt}==$${hash}`,
      `$scrypt$${params}$${salt}$${hash}=`,
      `$scrypt$${params}$${salt}$${hash.slice(0, -1)}!`,
      `$scrypt$${params}$$${hash}`,
      `$scrypt$${params}$AAAA$${hash}`,
      `$scrypt$${params}$${salt}$AAAA`,
    ];
    for (const stored of bad) expect(await verifyPassword("pw", stored), stored).toBe(false);
    // Same bytes, but the hash's last character sets a padding bit: not the canonical encoding.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const last = alphabet[alphabet.indexOf(hash.slice(-1)) ^ 1] ?? "";
    expect(Buffer.from(hash.slice(0, -1) + last, "base64")).toEqual(Buffer.from(hash, "base64"));
    expect(await verifyPassword("pw", `$scrypt$${params}$${salt}$${hash.slice(0, -1)}${last}`)).toBe(false);
  });

  test("a bad cost is refused when hashing", async () => {
    await expect(hashPassword("pw", { ln: 9, r: 8, p: 1 })).rejects.toBeInstanceOf(PasswordError);
    await expect(hashPassword("pw", { ln: 10.5, r: 8, p: 1 })).rejects.toMatchObject({ code: "bad-cost" });
  });
});

describe("parseScryptCost", () => {
  test("reads ln, r and p in any order", () => {
    expect(parseScryptCost("ln=15,r=8,p=1")).toEqual({ ln: 15, r: 8, p: 1 });
    expect(parseScryptCost("p=16, r=32, ln=22")).toEqual({ ln: 22, r: 32, p: 16 });
    expect(parseScryptCost("ln=10,r=1,p=1")).toEqual({ ln: 10, r: 1, p: 1 });
  });

  test.each(["", "15,8,1", "ln=15,r=8", "ln=15,r=8,p=1,x=2", "ln=15,ln=16,r=8,p=1", "ln=9,r=8,p=1", "ln=23,r=8,p=1", "ln=15,r=0,p=1", "ln=15,r=33,p=1", "ln=15,r=8,p=0", "ln=15,r=8,p=17", "ln=-1,r=8,p=1", "ln=1.5,r=8,p=1", "ln=15,r=8,p=1,", "LN=15,r=8,p=1"])(
    "refuses %j with a one-line bad-cost error",
    (text) => {
      try {
        parseScryptCost(text);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(PasswordError);
        expect(error).toMatchObject({ code: "bad-cost" });
        expect((error as PasswordError).message).not.toContain("\n");
      }
    },
  );
});

describe("checkPasswordRules", () => {
  test("accepts 1 to 600 UTF-8 bytes, including irctest's 300- and 592-byte passwords", () => {
    for (const password of ["x", "a".repeat(300), "a".repeat(592), "a".repeat(600), "é".repeat(300), "🔑 key"]) {
      expect(passwordErrorCode(() => checkPasswordRules(password))).toBeUndefined();
    }
  });

  test("refuses empty, too long, NUL and lone surrogates", () => {
    expect(passwordErrorCode(() => checkPasswordRules(""))).toBe("too-short");
    expect(passwordErrorCode(() => checkPasswordRules("a".repeat(601)))).toBe("too-long");
    // 301 two-byte characters: 301 characters but 602 bytes.
    expect(passwordErrorCode(() => checkPasswordRules("é".repeat(301)))).toBe("too-long");
    expect(passwordErrorCode(() => checkPasswordRules("a\0b"))).toBe("bad-character");
    expect(passwordErrorCode(() => checkPasswordRules("a\uD800b"))).toBe("bad-character");
  });
});

describe("scramCredentials", () => {
  test("matches the RFC 7677 section 3 example's keys", async () => {
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
    const credentials = await scramCredentials("pencil", 4096, salt);
    expect(credentials.salt).toBe("W22ZaJ0SNY7soEsUEjb6gQ==");
    expect(credentials.iterations).toBe(4096);
    // The keys behind the RFC's ClientProof and v= (scram.test.ts replays the whole exchange).
    expect(credentials.storedKey).toBe("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=");
    expect(credentials.serverKey).toBe("wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
  });

  test("uses a fresh 16-byte salt and 4096 iterations by default, and NFKC-normalises", async () => {
    const a = await scramCredentials("pencil");
    const b = await scramCredentials("pencil");
    expect(a.iterations).toBe(4096);
    expect(Buffer.from(a.salt, "base64")).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    const salt = Buffer.alloc(16, 7);
    // U+FB01 (the "fi" ligature) is "fi" under NFKC.
    expect(await scramCredentials("\uFB01sh", 4096, salt)).toEqual(await scramCredentials("fish", 4096, salt));
  });
});
