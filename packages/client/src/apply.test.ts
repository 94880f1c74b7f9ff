import { expect, test } from 'vitest'
import { applyDelta } from './apply.js'

test('keys set, array splices and keys gone, in one frame', () => {
  const state = { title: 'a', items: [1, 2, 3], draft: 'x', kept: { deep: true } }
  const next = applyDelta(state, { v: 2, k: { title: 'b' }, p: { items: [[1, 1, 20, 21]] }, x: ['draft'] })
  expect(next).toEqual({ title: 'b', items: [1, 20, 21, 3], kept: { deep: true } })
})

test('splices apply in order, each on the result of the one before', () => {
  const next = applyDelta(
    { items: ['a', 'b', 'c'] },
    {
      v: 1,
      p: {
        items: [
          [0, 1],
          [2, 0, 'd'],
        ],
      },
    },
  )
  expect(next.items).toEqual(['b', 'c', 'd'])
})

test('the state given is left as it was; what did not change is shared', () => {
  const state = { items: [1, 2], other: [9] }
  const next = applyDelta(state, { v: 1, p: { items: [[2, 0, 3]] } })
  expect(state).toEqual({ items: [1, 2], other: [9] })
  expect(next.items).not.toBe(state.items)
  expect(next.other).toBe(state.other)
})
