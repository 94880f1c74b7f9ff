import { describe, expect, test } from 'vitest'
import { decodeParam, pathToMatch } from './request-path.js'

describe('pathToMatch', () => {
  test.each([
    ['http://x.dev/', '/'],
    ['http://x.dev/api/users?x=%20#top', '/api/users'],
    ['http://x.dev/caf%C3%A9', '/café'],
    ['http://x.dev/café', '/café'],
    ['http://x.dev/my%20docs', '/my docs'],
    // Reserved characters stay encoded: an encoded slash must not split a segment.
    ['http://x.dev/a%2Fb/c%3Fd', '/a%2Fb/c%3Fd'],
    // %25 stays encoded so the param decoding that follows decodes it exactly once.
    ['http://x.dev/100%25', '/100%25'],
    ['http://x.dev/%2541', '/%2541'],
    // A segment with broken encoding is kept as written; the others are still decoded.
    ['http://x.dev/%E0%A4%A/caf%C3%A9', '/%E0%A4%A/café'],
  ])('%s -> %s', (url, path) => {
    expect(pathToMatch(url)).toBe(path)
  })
})

describe('decodeParam', () => {
  test.each([
    ['plain', 'plain'],
    ['a%2Fb', 'a/b'],
    ['100%25', '100%'],
    ['%2541', '%41'],
    ['%E0%A4%A', '%E0%A4%A'],
    ['caf%C3%A9', 'café'],
  ])('%s -> %s', (value, decoded) => {
    expect(decodeParam(value)).toBe(decoded)
  })
})

test('a param is decoded exactly once from URL to handler', () => {
  // What the router captures from the matched path is what decodeParam receives.
  const captured = pathToMatch('http://x.dev/users/%2541').split('/')[2]
  expect(decodeParam(captured)).toBe('%41')
})
