import { describe, expect, test } from 'vitest'
import { nextTag, planMigrations, replayMigrations, type Migration } from './migrations.js'

describe('planMigrations', () => {
  test('a first object appends v1 with new_sqlite_classes', () => {
    expect(planMigrations([], ['Counter'])).toEqual({ ok: true, append: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }] })
  })
  test('nothing new appends nothing', () => {
    expect(planMigrations([{ tag: 'v1', new_sqlite_classes: ['Counter'] }], ['Counter'])).toEqual({ ok: true, append: [] })
  })
  test('new objects go in one entry after the last tag', () => {
    const history: Migration[] = [
      { tag: 'v1', new_sqlite_classes: ['Counter'] },
      { tag: 'v7', new_sqlite_classes: ['Cart'] },
    ]
    expect(planMigrations(history, ['Counter', 'Cart', 'ChatRoom', 'Room'])).toEqual({
      ok: true,
      append: [{ tag: 'v8', new_sqlite_classes: ['ChatRoom', 'Room'] }],
    })
  })
  test('a class with no object file stops the plan and names it', () => {
    const plan = planMigrations([{ tag: 'v1', new_sqlite_classes: ['Counter', 'Cart'] }], ['Cart', 'Tally'])
    expect(plan).toMatchObject({ ok: false, removed: [{ name: 'Counter', tag: 'v1' }], added: ['Tally'] })
  })
  test('renamed and deleted classes are followed', () => {
    const history: Migration[] = [
      { tag: 'v1', new_sqlite_classes: ['Counter', 'Old'] },
      { tag: 'v2', renamed_classes: [{ from: 'Counter', to: 'Tally' }] },
      { tag: 'v3', deleted_classes: ['Old'] },
    ]
    expect(planMigrations(history, ['Tally'])).toEqual({ ok: true, append: [] })
    expect(planMigrations(history, ['Tally', 'Old'])).toEqual({ ok: true, append: [{ tag: 'v4', new_sqlite_classes: ['Old'] }] })
  })
  test('a key-value class cannot become a Cloudwerk object', () => {
    const plan = planMigrations([{ tag: 'v1', new_classes: ['Counter'] }], ['Counter'])
    expect(plan.ok).toBe(false)
    expect(!plan.ok && plan.problems[0]).toMatch(/Counter was created with "new_classes".*SQLite/)
  })
})

describe('replayMigrations checks the platform rules', () => {
  test.each<[string, Migration[], RegExp]>([
    [
      'duplicate tags',
      [
        { tag: 'v1', new_sqlite_classes: ['A'] },
        { tag: 'v1', new_sqlite_classes: ['B'] },
      ],
      /tag "v1" is used twice/,
    ],
    [
      'a class created twice',
      [
        { tag: 'v1', new_sqlite_classes: ['A'] },
        { tag: 'v2', new_sqlite_classes: ['A'] },
      ],
      /creates A, which already exists/,
    ],
    ['a rename from nothing', [{ tag: 'v1', renamed_classes: [{ from: 'A', to: 'B' }] }], /renames A, which does not exist/],
    [
      'a rename onto a live class',
      [
        { tag: 'v1', new_sqlite_classes: ['A', 'B'] },
        { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] },
      ],
      /B, which already exists/,
    ],
    ['a delete of nothing', [{ tag: 'v1', deleted_classes: ['A'] }], /deletes A, which does not exist/],
    ['a missing tag', [{ new_sqlite_classes: ['A'] } as unknown as Migration], /has no "tag"/],
  ])('%s', (_name, history, problem) => {
    expect(replayMigrations(history).problems.join('\n')).toMatch(problem)
  })
  test('a valid history has no problems', () => {
    const { live, problems } = replayMigrations([
      { tag: 'v1', new_sqlite_classes: ['A'] },
      { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] },
      { tag: 'v3', deleted_classes: ['B'] },
      { tag: 'v4', new_sqlite_classes: ['B'] },
    ])
    expect(problems).toEqual([])
    expect([...live.keys()]).toEqual(['B'])
  })
})

test('nextTag', () => {
  expect(nextTag([])).toBe('v1')
  expect(nextTag([{ tag: 'init' }, { tag: 'second' }])).toBe('v3')
  expect(nextTag([{ tag: 'v9' }])).toBe('v10')
})
