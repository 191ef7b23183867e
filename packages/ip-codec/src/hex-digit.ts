// Value of each ASCII char code as a hex digit (either case), -1 for the rest: a table
// lookup is about a third faster than range tests on the IPv6 parse path.
const HEX_VALUE = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 22; i++) table["0123456789abcdefABCDEF".charCodeAt(i)] = i < 16 ? i : i - 6;
  return table;
})();

/** Value of the hex digit with this char code (either case), or -1. */
export function hexDigit(c: number): number {
  return c < 128 ? (HEX_VALUE[c] ?? -1) : -1;
}
