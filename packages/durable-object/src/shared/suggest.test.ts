import { expect, test } from 'vitest'
import { suggestName } from './suggest.js'

test.each([
  ['method', ['init', 'methods', 'schema'], 'methods'],
  ['fecth', ['fetch', 'alarm'], 'fetch'],
  ['ALARM', ['fetch', 'alarm'], 'alarm'],
  ['dve', ['dev', 'deploy'], 'dev'],
  ['websocketmessage', ['webSocketMessage', 'webSocketClose'], 'webSocketMessage'],
])('%s -> %s among %j', (input, candidates, expected) => {
  expect(suggestName(input, candidates)).toBe(expected)
})

test.each([
  ['x', ['fetch', 'alarm']],
  ['banana', ['fetch', 'alarm']],
  ['fetch', []],
])('%s has no plausible match among %j', (input, candidates) => {
  expect(suggestName(input, candidates)).toBeUndefined()
})

test('at most a third of the input may differ', () => {
  expect(suggestName('schedule', ['schedxxe'])).toBe('schedxxe')
  expect(suggestName('schedule', ['schxxxle'])).toBeUndefined()
})
