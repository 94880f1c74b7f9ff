import { expect, test } from 'vitest'
import { decodeRows, writeKey } from './stored-state.js'

test('rows decode as the object reads them, and an edit writes one row', () => {
  expect(
    decodeRows(
      [
        ['count', '2'],
        ['user', '{"name":"a"}'],
      ],
      [
        ['log', '"x"'],
        ['log', '"y"'],
      ],
      [
        ['big', '{"a":"x'],
        ['big', 'y","b":[1]}'],
      ],
    ),
  ).toEqual({ count: 2, user: { name: 'a' }, log: ['x', 'y'], big: { a: 'xy', b: [1] } })
  expect(writeKey('log', ['z'], true)).toEqual([
    { sql: 'DELETE FROM cloudwerk_items WHERE key = ?', params: ['log'] },
    { sql: 'DELETE FROM cloudwerk_chunks WHERE key = ?', params: ['log'] },
    { sql: expect.stringContaining('INSERT INTO cloudwerk_state'), params: ['log', '["z"]'] },
  ])
  expect(writeKey('log', ['z'], false)).toHaveLength(2)
})
