// A long array in the state is stored one row per item, ordered by a position number. Positions
// are not indexes: they only have to rise from the first item to the last. So the common changes
// touch only the rows they concern: a push inserts after the last position, a shift or a
// sliding window (drop from the front, push at the back) deletes the first rows, an edit rewrites
// the item's row, and an insert in the middle takes a position between its neighbours'.

/** An array as stored: each item's JSON and its row's position, in order. */
export interface StoredItems {
  json: string[]
  at: number[]
}

/** The writes that turn the stored rows into `next`, and the stored result. */
export interface ItemWrites {
  readonly next: StoredItems
  /**
   * Makes the StoredItems planned from into `next` in place, once written (see planTail): a turn
   * that changes a few items of 1,000 then allocates no copy of the other 999.
   */
  applyTo?(stored: StoredItems): void
  /** Rows to write (insert, or replace the row at that position). */
  upserts: Array<[position: number, json: string]>
  /** Rows to delete, by position (inclusive); `all` deletes every row of the key first. */
  deleteRange?: [from: number, to: number]
  deleteAll?: boolean
}

/**
 * Plans the writes from `stored` (undefined: the key has no item rows yet) to the items `next`.
 * The first `same` items of `next` are known to be the stored ones (the turn changed nothing
 * before them), so they are not compared.
 */
export function planItemWrites(stored: StoredItems | undefined, next: string[], same = 0): ItemWrites {
  if (!stored) return writeAll(next, false)
  const { json: old, at } = stored
  const m = old.length
  const n = next.length
  let prefix = Math.min(same, m, n)
  while (prefix < m && prefix < n && old[prefix] === next[prefix]) prefix++
  let suffix = 0
  while (suffix < m - prefix && suffix < n - prefix && old[m - 1 - suffix] === next[n - 1 - suffix]) suffix++
  if (prefix === 0 && suffix < n) {
    const dropped = droppedFromFront(old, next)
    if (dropped !== undefined) {
      // The rows from `dropped` on hold next's first items (those that differ are rewritten);
      // the rest of next goes after the last position.
      const kept = m - dropped
      const upserts: ItemWrites['upserts'] = []
      for (let i = 0; i < kept; i++) if (old[dropped + i] !== next[i]) upserts.push([at[dropped + i], next[i]])
      const positions = at.slice(dropped)
      for (let i = kept; i < n; i++) {
        const position = at[m - 1] + 1 + i - kept
        positions.push(position)
        upserts.push([position, next[i]])
      }
      return { next: { json: next, at: positions }, upserts, deleteRange: [at[0], at[dropped - 1]] }
    }
  }
  // The middle of the old rows becomes the middle of the new ones: rows are reused in order,
  // the ones left over are deleted, and extra items go between their neighbours.
  const oldMiddle = at.slice(prefix, m - suffix)
  const newCount = n - suffix - prefix
  const reused = Math.min(oldMiddle.length, newCount)
  const positions = at.slice(0, prefix)
  const upserts: ItemWrites['upserts'] = []
  for (let i = 0; i < reused; i++) {
    positions.push(oldMiddle[i])
    if (old[prefix + i] !== next[prefix + i]) upserts.push([oldMiddle[i], next[prefix + i]])
  }
  const extra = between(
    positions.length ? positions[positions.length - 1] : undefined,
    suffix ? at[m - suffix] : undefined,
    newCount - reused,
  )
  // Out of room between two positions (after many inserts at one place): number them afresh.
  if (!extra) return writeAll(next, true)
  extra.forEach((position, i) => upserts.push([position, next[prefix + reused + i]]))
  positions.push(...extra, ...at.slice(m - suffix))
  const writes: ItemWrites = { next: { json: next, at: positions }, upserts }
  if (reused < oldMiddle.length) writes.deleteRange = [oldMiddle[reused], oldMiddle[oldMiddle.length - 1]]
  return writes
}

/**
 * Plans the writes from `stored` to its items from `front` to `front + same` (the turn dropped
 * `front` items from the front and changed nothing in the `same` after them) followed by `tail`.
 * The dropped items' rows go; the tail takes the rows after the kept ones, in order, and the rest
 * go after the last position. Nothing before the tail is compared or copied: a push and a shift
 * on 1,000 items write one row, delete one, and move the stored arrays in place (applyTo).
 * Undefined when rows would be left over at the end as well (planItemWrites deletes those).
 */
export function planTail(stored: StoredItems, front: number, same: number, tail: string[]): ItemWrites | undefined {
  const { json: old, at } = stored
  const m = old.length
  const kept = front + same
  if (m === 0 || kept > m || kept + tail.length < m) return undefined
  const upserts: ItemWrites['upserts'] = []
  const positions = tail.map((json, i) => {
    const s = kept + i
    const position = s < m ? at[s] : at[m - 1] + 1 + s - m
    if (s >= m || old[s] !== json) upserts.push([position, json])
    return position
  })
  let next: StoredItems | undefined
  return {
    upserts,
    deleteRange: front > 0 ? [at[0], at[front - 1]] : undefined,
    // Made only when asked (browser sync diffs it), and before applyTo changes `stored`.
    get next() {
      return (next ??= { json: [...old.slice(front, kept), ...tail], at: [...at.slice(front, kept), ...positions] })
    },
    applyTo(target) {
      for (const list of [target.json, target.at] as unknown[][]) {
        if (front === 1) list.shift()
        else if (front > 0) list.splice(0, front)
        list.length = same
      }
      for (let i = 0; i < tail.length; i++) (target.json.push(tail[i]), target.at.push(positions[i]))
    },
  }
}

function writeAll(next: string[], deleteAll: boolean): ItemWrites {
  const at = next.map((_, i) => i)
  return { next: { json: next, at }, upserts: at.map((position) => [position, next[position]]), deleteAll }
}

// How many old items were dropped from the front (a queue, a sliding window): next begins with
// the old item there, and most of the old items after it are next's items in order.
function droppedFromFront(old: string[], next: string[]): number | undefined {
  const dropped = old.indexOf(next[0], 1)
  if (dropped < 1 || old.length - dropped > next.length) return undefined
  let differ = 0
  for (let i = dropped; i < old.length; i++) if (old[i] !== next[i - dropped]) differ++
  return differ * 2 < old.length - dropped ? dropped : undefined
}

// `count` rising positions strictly between `low` and `high` (either may be open), or undefined
// when floating point has no room left between them.
function between(low: number | undefined, high: number | undefined, count: number): number[] | undefined {
  if (count === 0) return []
  if (low === undefined && high === undefined) return Array.from({ length: count }, (_, i) => i)
  if (high === undefined) return Array.from({ length: count }, (_, i) => low! + 1 + i)
  if (low === undefined) return Array.from({ length: count }, (_, i) => high - count + i)
  const step = (high - low) / (count + 1)
  const positions = Array.from({ length: count }, (_, i) => low + step * (i + 1))
  const rising = positions.every((position, i) => position > (i === 0 ? low : positions[i - 1])) && positions[count - 1] < high
  return rising ? positions : undefined
}
