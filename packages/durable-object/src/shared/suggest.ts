// Pure, with no Workers or Node APIs: shared by the runtime, the CLI and create-cloudwerk, which
// import it as @cloudwerk/durable-object/shared/suggest.

/**
 * The candidate closest to `input` (case-insensitive edit distance), or undefined when none is
 * close enough to be a plausible typo: at most a third of the input's length, and at least 1.
 *
 * @example
 * suggestName('method', ['init', 'methods', 'schema']) // 'methods'
 */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1
  for (const candidate of candidates) {
    const distance = measureEditDistance(wanted, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

// Edit distance where swapping two neighbours counts as one edit (optimal string alignment):
// "fecth" is one typo away from "fetch". The strings are identifiers, so a full table is fine.
function measureEditDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1)
      }
    }
  }
  return table[a.length][b.length]
}
