/** The q-quantile (0..1) of a list of numbers, interpolated between the nearest two. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

/** The median of a list of numbers. */
export function median(values) {
  return quantile(values, 0.5);
}
