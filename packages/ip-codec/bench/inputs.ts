// Seeded inputs so every run measures the same addresses.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Round-trips through JSON so every string is flat, as text read from a file or socket is. */
export function flat(list: readonly string[]): string[] {
  return JSON.parse(JSON.stringify(list)) as string[];
}

/** 1024 dotted quads with parts of 1 to 3 digits. */
export function ipv4Texts(): string[] {
  const next = random(4);
  const byte = (): number => Math.floor(next() * 256);
  return flat(Array.from({ length: 1024 }, () => `${byte()}.${byte()}.${byte()}.${byte()}`));
}

/** 1024 IPv6 addresses as 16 bytes: random groups with runs of zero groups, as real ones have. */
export function ipv6Bytes(): Uint8Array[] {
  const next = random(6);
  return Array.from({ length: 1024 }, () => {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(next() * 256);
    const zeroStart = Math.floor(next() * 8);
    const zeroLength = Math.floor(next() * 6);
    bytes.fill(0, zeroStart * 2, Math.min(16, (zeroStart + zeroLength) * 2));
    if (next() < 0.5) bytes.set([0x20, 0x01, 0x0d, 0xb8]);
    return bytes;
  });
}
