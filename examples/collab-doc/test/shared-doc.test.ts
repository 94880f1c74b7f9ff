import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '@cloudwerk/cli/testing'

// This example's folder (above test/), also when the tests run from the repository root.
const root = expect.getState().testPath!.replace(/\/test\/[^/]*$/, '')

// The app runs in workerd (the Workers runtime) with private storage for this file.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ root })
})
afterAll(() => app?.close())

test('each edit makes a version, recorded in the history', async () => {
  const doc = app.objects.SharedDoc.getByName('versions')
  expect(await doc.edit(0, { position: 0, removed: 0, inserted: 'Hello world' }, 'ada')).toEqual({ ok: true, version: 1 })
  expect(await doc.edit(1, { position: 6, removed: 5, inserted: 'there' }, 'bob')).toEqual({ ok: true, version: 2 })
  expect(await doc.getDocument()).toEqual({ content: 'Hello there', version: 2 })

  const history = await doc.getHistory(10)
  expect(history).toMatchObject([
    { version: 2, author: 'bob', position: 6, removed: 5, inserted: 'there' },
    { version: 1, author: 'ada', position: 0, removed: 0, inserted: 'Hello world' },
  ])
  expect(history[0].editedAt).toBeGreaterThan(Date.now() - 60_000)
  expect(await doc.getHistory(1)).toHaveLength(1)
})

test('any earlier version can be read back from the history', async () => {
  const doc = app.objects.SharedDoc.getByName('versions')
  expect(await doc.getDocument(0)).toEqual({ content: '', version: 0 })
  expect(await doc.getDocument(1)).toEqual({ content: 'Hello world', version: 1 })
  expect(await doc.getDocument(3)).toBeNull()
})

test('an edit made on an old version is refused as stale and changes nothing', async () => {
  const doc = app.objects.SharedDoc.getByName('versions')
  expect(await doc.edit(1, { position: 0, removed: 0, inserted: '!' }, 'cy')).toEqual({
    ok: false,
    reason: 'stale',
    error: 'The edit was made on version 1, but the document is at version 2.',
    version: 2,
  })
  expect(await doc.getDocument()).toEqual({ content: 'Hello there', version: 2 })
})

test('an edit outside the text is refused as invalid, saying what is wrong', async () => {
  const doc = app.objects.SharedDoc.getByName('versions')
  expect(await doc.edit(2, { position: 12, removed: 0, inserted: '?' }, 'cy')).toMatchObject({
    ok: false,
    reason: 'invalid',
    error: 'position must be a whole number from 0 to 11.',
  })
  expect(await doc.edit(2, { position: 6, removed: 6, inserted: '' }, 'cy')).toMatchObject({
    error: 'removed must be a whole number from 0 to 5.',
  })
  expect(await doc.getHistory(10)).toHaveLength(2)
})

test('the text and its history survive eviction', async () => {
  await app.evict()
  const doc = app.objects.SharedDoc.getByName('versions')
  expect(await doc.getDocument()).toEqual({ content: 'Hello there', version: 2 })
  expect(await doc.getDocument(1)).toEqual({ content: 'Hello world', version: 1 })
})
