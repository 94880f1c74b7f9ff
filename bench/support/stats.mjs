// Summaries shared by the benchmarks: medians (robust on a noisy machine) and rounding for tables.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function round(value, digits = 0) {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
