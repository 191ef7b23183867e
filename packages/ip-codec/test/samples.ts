import fc from "fast-check";

// Deterministic samples for the oracle batches: seeded, so a failure can be replayed.
const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] => fc.sample(arbitrary, { numRuns: count, seed });

const fromChars = (chars: string, maxLength: number) =>
  fc.array(fc.constantFrom(...chars.split("")), { maxLength }).map((list) => list.join(""));

const part = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.integer({ min: 0, max: 999 }).map(String), fc.constantFrom("00", "01", "007", "0x1", ""));

/** Dotted quads, near misses and junk for inet_pton(AF_INET). */
export function ipv4Candidates(count: number): string[] {
  const valid = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join("."));
  return [
    ...sample(valid, count, 0),
    ...sample(fc.tuple(part, part, part, part).map((parts) => parts.join(".")), count, 1),
    ...sample(fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(".")), count, 2),
    ...sample(fromChars("0123456789.", 16), count, 3),
    ...sample(fromChars("0125.x: -", 12), count / 4, 4),
  ];
}

const group = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
  fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, "0")),
  fc.constantFrom("0", "00000", "fffff", "g", ""),
);
const quad = fc.tuple(part, part, part, part).map((parts) => parts.join("."));

/** RFC 4291 text in every shape (compressed, full, embedded dotted quad), near misses and junk. */
export function ipv6Candidates(count: number): string[] {
  const full = fc.array(group, { minLength: 1, maxLength: 9 }).map((groups) => groups.join(":"));
  const compressed = fc.tuple(fc.array(group, { maxLength: 8 }), fc.array(group, { maxLength: 8 })).map(([a, b]) => `${a.join(":")}::${b.join(":")}`);
  const embedded = fc.tuple(fc.oneof(full, compressed), quad).map(([head, tail]) => `${head}:${tail}`);
  const groups = fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 });
  const validFull = groups.map((list) => list.map((g) => g.toString(16)).join(":"));
  const validCompressed = fc.tuple(groups, fc.nat(7), fc.nat(8)).map(([list, at, length]) => {
    const texts = list.map((g) => g.toString(16).toUpperCase());
    return `${texts.slice(0, at).join(":")}::${texts.slice(Math.min(8, at + Math.max(1, length))).join(":")}`;
  });
  const validEmbedded = fc.tuple(groups, fc.nat(255), fc.nat(255)).map(([list, a, b]) => `${list.slice(0, 6).map((g) => g.toString(16)).join(":")}:${a}.${b}.0.1`);
  return [
    ...sample(validFull, count, 14),
    ...sample(validCompressed, count, 15),
    ...sample(validEmbedded, count / 2, 16),
    ...sample(full, count, 5),
    ...sample(compressed, count, 6),
    ...sample(embedded, count, 7),
    ...sample(fromChars("0fF:.1", 14), count, 8),
    ...sample(fromChars("0aA:.%e ", 12), count / 4, 17),
  ];
}

/** The inet_aton forms (decimal, octal, hex parts; 1 to 4 parts), near misses and junk. */
export function legacyIPv4Candidates(count: number): string[] {
  const legacyPart = fc.oneof(
    fc.nat().map(String),
    fc.nat().map((n) => `0${n.toString(8)}`),
    fc.nat().map((n) => `0x${n.toString(16)}`),
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.integer({ min: 0, max: 255 }).map((n) => `0X${n.toString(16).toUpperCase()}`),
    fc.constantFrom("0", "08", "0x", "0xg", "", "4294967296", "0x100000000"),
  );
  return [
    ...sample(fc.array(legacyPart, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(".")), count, 9),
    ...sample(fromChars("0178xX.af", 14), count, 10),
  ];
}

/** Random IPv4 and IPv6 address texts, including ::ffff: forms. */
export function addressCandidates(count: number): string[] {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join("."));
  const v6 = fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }).map((groups) => groups.map((g) => g.toString(16)).join(":"));
  return [...sample(v4, count, 11), ...sample(v6, count, 12), ...sample(v4.map((text) => `::ffff:${text}`), count / 4, 13)];
}
