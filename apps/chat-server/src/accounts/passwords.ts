import { createHash, createHmac, pbkdf2, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { ScramCredentials } from "./store.js";

/** scrypt's cost: N = 2^ln, block size r, parallelism p. */
export interface ScryptCost {
  ln: number;
  r: number;
  p: number;
}

// 32 MiB and ~90 ms a hash here (Node 20, 2 vCPUs), under OWASP's 2^17 (~350 ms here) or 2^15 with p=3, so login bursts stay cheap; old hashes keep their cost.
export const defaultScryptCost: ScryptCost = { ln: 15, r: 8, p: 1 };

/** RFC 7677's minimum PBKDF2 iteration count for SCRAM-SHA-256. */
export const defaultScramIterations = 4096;

/** Longest password in UTF-8 bytes: irctest registers a 592-byte one. */
export const maxPasswordBytes = 600;

const costLimits = { ln: [10, 22], r: [1, 32], p: [1, 16] } as const;
const saltBytes = 16;
const keyBytes = 32;

/** A password or scrypt cost that is refused; message is one line, fit for a user or a CLI error. */
export class PasswordError extends Error {
  constructor(
    readonly code: "too-short" | "too-long" | "bad-character" | "bad-cost",
    message: string,
  ) {
    super(message);
    this.name = "PasswordError";
  }
}

/** Throws PasswordError unless password is 1 to 600 UTF-8 bytes without NUL or lone surrogates (which UTF-8 cannot carry). */
export function checkPasswordRules(password: string): void {
  if (password.length === 0) throw new PasswordError("too-short", "Password must not be empty");
  if (Buffer.byteLength(password, "utf8") > maxPasswordBytes) throw new PasswordError("too-long", `Password must be at most ${maxPasswordBytes} bytes`);
  if (/[\0\p{Cs}]/u.test(password)) throw new PasswordError("bad-character", "Password must not contain NUL or invalid characters");
}

function checkCost(cost: ScryptCost): void {
  for (const key of ["ln", "r", "p"] as const) {
    const [min, max] = costLimits[key];
    const value = cost[key];
    if (!Number.isInteger(value) || value < min || value > max) throw new PasswordError("bad-cost", `scrypt ${key} must be an integer from ${min} to ${max} (got ${value})`);
  }
}

/** Parses a cost flag such as `ln=15,r=8,p=1` (keys in any order, each once). */
export function parseScryptCost(text: string): ScryptCost {
  const values = new Map<string, number>();
  for (const part of text.split(",")) {
    const match = /^(ln|r|p)=(\d{1,6})$/.exec(part.trim());
    if (!match?.[1] || !match[2] || values.has(match[1])) throw new PasswordError("bad-cost", `scrypt cost "${text}" must look like ln=15,r=8,p=1`);
    values.set(match[1], Number(match[2]));
  }
  const ln = values.get("ln");
  const r = values.get("r");
  const p = values.get("p");
  if (ln === undefined || r === undefined || p === undefined) throw new PasswordError("bad-cost", `scrypt cost "${text}" must give ln, r and p, like ln=15,r=8,p=1`);
  const cost = { ln, r, p };
  checkCost(cost);
  return cost;
}

// PHC strings use unpadded base64.
const toB64 = (data: Buffer): string => data.toString("base64").replace(/=+$/, "");

/** Strict unpadded base64: Buffer.from ignores junk, so the text must re-encode to itself. */
function fromB64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return undefined;
  const data = Buffer.from(text, "base64");
  return toB64(data) === text ? data : undefined;
}

function scryptKey(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // Node's default maxmem (32 MiB) refuses costs above ln=14,r=8; scrypt needs about 128*r*N bytes.
  const options = { N, r: cost.r, p: cost.p, maxmem: 256 * cost.r * N * 2 };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, "utf8"), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes password with scrypt into a PHC string that carries its own cost and salt; throws PasswordError for a bad cost. */
export async function hashPassword(password: string, cost: ScryptCost = defaultScryptCost): Promise<string> {
  checkCost(cost);
  const salt = randomBytes(saltBytes);
  const hash = await scryptKey(password, salt, keyBytes, cost);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${toB64(salt)}$${toB64(hash)}`;
}

function parsePhc(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([^$]+)\$([^$]+)$/.exec(stored);
  if (!match) return undefined;
  const cost = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const salt = fromB64(match[4] ?? "");
  const hash = fromB64(match[5] ?? "");
  if (!salt || !hash || salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
  try {
    checkCost(cost);
  } catch {
    return undefined;
  }
  return { cost, salt, hash };
}

/** Whether password matches a hashPassword string, at the cost written in it; false (never a throw) for a malformed one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePhc(stored);
  if (!parsed) return false;
  try {
    const hash = await scryptKey(password, parsed.salt, parsed.hash.length, parsed.cost);
    return hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
  } catch {
    // Out of memory for a huge (corrupt) cost: a failed login, not a crash.
    return false;
  }
}

const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text, "utf8").digest();

/** SCRAM-SHA-256 credentials (RFC 5802 Hi() = PBKDF2-HMAC-SHA-256); salt is given only to reproduce test vectors. */
export async function scramCredentials(password: string, iterations = defaultScramIterations, salt: Buffer = randomBytes(saltBytes)): Promise<ScramCredentials> {
  // NFKC stands in for SASLprep (RFC 4013), which maps to NFKC after dropping a few characters no IRC client sends.
  const normalized = Buffer.from(password.normalize("NFKC"), "utf8");
  const salted = await new Promise<Buffer>((resolve, reject) => {
    pbkdf2(normalized, salt, iterations, keyBytes, "sha256", (error, key) => (error ? reject(error) : resolve(key)));
  });
  const clientKey = hmac(salted, "Client Key");
  return {
    salt: salt.toString("base64"),
    iterations,
    storedKey: createHash("sha256").update(clientKey).digest("base64"),
    serverKey: hmac(salted, "Server Key").toString("base64"),
  };
}
