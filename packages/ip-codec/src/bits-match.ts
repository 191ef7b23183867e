/** True when `a` from aOffset and `b` from 0 agree on their first `bits` bits (missing bytes of b count as 0). */
export function bitsMatch(a: ArrayLike<number>, aOffset: number, b: ArrayLike<number>, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[aOffset + i] !== (b[i] ?? 0)) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((a[aOffset + whole] ?? 0) ^ (b[whole] ?? 0)) & mask) === 0;
}
