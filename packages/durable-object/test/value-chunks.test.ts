// Cutting a large value's JSON into row-sized chunks (src/value-chunks.ts). Stored behaviour in
// workerd: state.test.ts.
import { expect, test } from 'vitest'
import { findOversizedLeaf, splitChunks } from '../src/value-chunks'

test('chunks join back to the JSON and never split a surrogate pair', () => {
  const json = JSON.stringify({ a: 'x\u{1F600}y'.repeat(1000), b: ['\u{1F601}', 'é'] })
  for (const length of [2, 3, 7, 100, 4096]) {
    const chunks = splitChunks(json, length)
    expect(chunks.join('')).toBe(json)
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(length)
      // Each chunk is well-formed UTF-16: it survives UTF-8 as it is.
      expect(new TextDecoder().decode(new TextEncoder().encode(chunk))).toBe(chunk)
    }
  }
  expect(splitChunks('a\u{1F600}b', 2)).toEqual(['a', '\u{1F600}', 'b'])
})

test('the first string over the limit is named by its path, keys included', () => {
  const long = 'x'.repeat(200)
  expect(findOversizedLeaf({ a: { b: [1, 'short', long] } }, 'state.doc', 100)).toEqual({ path: 'state.doc.a.b[2]', json: `"${long}"` })
  expect(findOversizedLeaf({ ok: { [long]: 1 } }, 'state.doc', 100)?.path).toBe('state.doc.ok')
  expect(findOversizedLeaf({ a: long }, 'state.doc', 1000)).toBeUndefined()
  // Escapes count as they are stored.
  expect(findOversizedLeaf({ a: '\n'.repeat(60) }, 'state.doc', 100)?.path).toBe('state.doc.a')
})
