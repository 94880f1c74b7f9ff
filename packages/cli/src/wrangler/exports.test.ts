import { describe, expect, test } from 'vitest'
import { planExports, replayLifecycle, type Exports } from './exports.js'

const live = { type: 'durable-object', storage: 'sqlite' }

describe('planExports', () => {
  test('a new object gets a live sqlite entry; one already there adds nothing', () => {
    expect(planExports({}, ['Counter'])).toEqual({ ok: true, add: { Counter: live } })
    expect(planExports({ Counter: live }, ['Counter'])).toEqual({ ok: true, add: {} })
  })
  test("tombstones and the user's worker entrypoints stay as they are", () => {
    const exports: Exports = { Old: { type: 'durable-object', state: 'deleted' }, Api: { type: 'worker' }, Counter: live }
    expect(planExports(exports, ['Counter', 'Cart'])).toEqual({ ok: true, add: { Cart: live } })
  })
  test('a live class with no object file stops the plan and names it', () => {
    expect(planExports({ Counter: live, Cart: live }, ['Cart', 'Tally'])).toMatchObject({
      ok: false,
      removed: [{ name: 'Counter', tag: 'exports.Counter' }],
      added: ['Tally'],
    })
  })
  test.each<[string, Exports, RegExp]>([
    [
      'a deleted name used again',
      { Counter: { type: 'durable-object', state: 'deleted' } },
      /exports\.Counter is "deleted".*cannot be used again/,
    ],
    ['a key-value class', { Counter: { type: 'durable-object', storage: 'legacy-kv' } }, /"legacy-kv".*SQLite/],
    ['a worker entrypoint of the same name', { Counter: { type: 'worker' } }, /exports\.Counter is a "worker" export/],
    [
      'a rename to nothing',
      { Old: { type: 'durable-object', state: 'renamed', renamed_to: 'Gone' }, Counter: live },
      /renamed to "Gone", but exports has no durable-object entry/,
    ],
  ])('%s is refused', (_name, exports, problem) => {
    const plan = planExports(exports, ['Counter'])
    expect(plan.ok).toBe(false)
    expect(!plan.ok && plan.problems.join('\n')).toMatch(problem)
  })
  test('exports beside migrations naming objects is refused', () => {
    expect(
      replayLifecycle({ exports: { Counter: live }, migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }] }).problems[0],
    ).toMatch(/"migrations" and "exports" both declare Durable Objects/)
  })
})
