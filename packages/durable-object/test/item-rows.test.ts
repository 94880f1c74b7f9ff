// The planner behind long arrays' item rows (src/item-rows.ts), checked against a table of rows
// kept here: over thousands of random edits, applying its writes must leave exactly the new
// items, in order, at rising positions. (Stored behaviour in workerd: state.test.ts.)
import { describe, expect, test } from 'vitest'
import { planItemWrites, planTail, type ItemWrites, type StoredItems } from '../src/item-rows'

function apply(rows: Map<number, string>, writes: ItemWrites): void {
  if (writes.deleteAll) rows.clear()
  if (writes.deleteRange)
    for (const position of [...rows.keys()])
      if (position >= writes.deleteRange[0] && position <= writes.deleteRange[1]) rows.delete(position)
  for (const [position, json] of writes.upserts) rows.set(position, json)
}

function check(rows: Map<number, string>, stored: StoredItems): void {
  const ordered = [...rows.entries()].sort(([a], [b]) => a - b)
  expect(ordered.map(([, json]) => json)).toEqual(stored.json)
  expect(ordered.map(([position]) => position)).toEqual(stored.at)
}

describe('planItemWrites', () => {
  test('random edits of every kind leave the rows equal to the new items', () => {
    let seed = 7
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    let next = 0
    const item = () => JSON.stringify({ n: next++ })
    for (let run = 0; run < 200; run++) {
      let items = Array.from({ length: 100 + random(50) }, item)
      let writes = planItemWrites(undefined, items)
      const rows = new Map<number, string>()
      apply(rows, writes)
      let stored = writes.next
      check(rows, stored)
      for (let turn = 0; turn < 30; turn++) {
        items = [...items]
        const from = random(items.length + 1)
        const kind = random(7)
        // Items dropped from the front, as the state proxy reports them for a shift or a window.
        let front = 0
        if (kind === 0) items.push(item())
        else if (kind === 1) front = items.splice(0, 1 + random(3)).length
        else if (kind === 2) ((front = items.splice(0, 1 + random(3)).length), items.push(item(), item()))
        else if (kind === 3) items.splice(from, random(4), ...Array.from({ length: random(4) }, item))
        else if (kind === 4) items[random(items.length)] = item()
        else if (kind === 5) items.reverse()
        else for (let i = 0; i < 20; i++) items.splice(from, 0, item()) // many inserts at one place
        if (items.length === 0) items.push(item())
        // The first items the turn did not touch, as the state proxy reports them.
        if (random(2)) front = 0 // not reported: found by comparing
        let same = 0
        while (same < items.length && front + same < stored.json.length && items[same] === stored.json[front + same] && random(4)) same++
        // After a drop (or always, for an append), only the tail is planned, and the stored
        // arrays are moved in place to what `next` says.
        const tailWrites = front > 0 || random(2) ? planTail(stored, front, same, items.slice(same)) : undefined
        if (tailWrites) {
          const moved = { json: [...stored.json], at: [...stored.at] }
          const { next } = tailWrites
          tailWrites.applyTo!(moved)
          expect(moved).toEqual(next)
        }
        writes = tailWrites ?? planItemWrites(stored, items, front > 0 ? 0 : same)
        apply(rows, writes)
        stored = writes.next
        check(rows, stored)
        expect(stored.json).toEqual(items)
      }
    }
  })

  test('inserting again and again at one place runs out of room between positions, and then numbers the rows afresh', () => {
    let items = Array.from({ length: 100 }, (_, i) => `"${i}"`)
    let writes = planItemWrites(undefined, items)
    const rows = new Map<number, string>()
    apply(rows, writes)
    let renumbered = 0
    for (let i = 0; i < 200; i++) {
      items = [...items.slice(0, 50), `"in ${i}"`, ...items.slice(50)]
      writes = planItemWrites(writes.next, items)
      if (writes.deleteAll) renumbered++
      apply(rows, writes)
      check(rows, writes.next)
    }
    expect(renumbered).toBeGreaterThan(0)
  })

  test('the common changes touch only their rows', () => {
    const items = Array.from({ length: 100 }, (_, i) => `"${i}"`)
    const stored = planItemWrites(undefined, items).next
    const pushed = planItemWrites(stored, [...items, '"new"'], 100)
    expect(pushed).toMatchObject({ upserts: [[100, '"new"']] })
    expect(pushed.deleteRange).toBeUndefined()
    expect(planItemWrites(stored, [...items.slice(2), '"new"'])).toMatchObject({ upserts: [[100, '"new"']], deleteRange: [0, 1] })
    // A shift then a push, as reported: nothing compared, one row deleted and one written.
    expect(planTail(stored, 1, 99, ['"new"'])).toMatchObject({ upserts: [[100, '"new"']], deleteRange: [0, 0] })
    expect(planItemWrites(stored, [...items.slice(0, 50), '"in"', ...items.slice(50)])).toMatchObject({ upserts: [[49.5, '"in"']] })
    expect(
      planItemWrites(
        stored,
        items.map((json, i) => (i === 7 ? '"edited"' : json)),
      ),
    ).toMatchObject({ upserts: [[7, '"edited"']] })
    expect(planItemWrites(stored, items.slice(0, 90))).toMatchObject({ upserts: [], deleteRange: [90, 99] })
  })
})
