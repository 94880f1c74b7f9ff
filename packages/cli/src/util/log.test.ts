import { expect, test } from 'vitest'
import { formatBytes, formatTable } from './log.js'

test('formatTable pads each column to its widest cell, colour codes not counted, no trailing spaces', () => {
  const table = formatTable([
    ['\x1b[1mclass\x1b[0m', 'file'],
    ['Counter', 'app/objects/counter.ts'],
    ['Room', ''],
  ])
  expect(table.split('\n')).toEqual(['\x1b[1mclass\x1b[0m    file', 'Counter  app/objects/counter.ts', 'Room'])
})

test('formatTable of no rows is empty', () => {
  expect(formatTable([])).toBe('')
})

test.each([
  [0, '0 B'],
  [1023, '1023 B'],
  [1024, '1.0 KB'],
  [3481, '3.4 KB'],
])('formatBytes(%i) is %s', (bytes, text) => {
  expect(formatBytes(bytes)).toBe(text)
})
