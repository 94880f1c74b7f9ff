// State versions in workerd: objects stored by an older deploy are migrated on load, step by step,
// all or nothing; a failing step or a refused result writes nothing and is retried after a fixed
// deploy; a state stored by a newer deploy is never touched. Each restart below is a deploy: workerd
// comes back on the same storage with another entry of fixtures/versions (see objects.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient
const deploy = (version: string) => worker.restart({ entry: entry(version) })
const entry = (version: string) => new URL(`./fixtures/versions/${version}.ts`, import.meta.url).pathname
const doc = (name: string, method: string, ...args: unknown[]) => objects.call<any>('DOC', name, method, ...args)
const feed = (name: string, method: string, ...args: unknown[]) => objects.call<any>('FEED', name, method, ...args)

beforeAll(async () => {
  worker = await startWorker({ entry: entry('v1'), durableObjects: { DOC: 'Doc', FEED: 'Feed' } })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

// One story, deploy after deploy; each test depends on the ones before it.
describe('deploy after deploy', () => {
  test('v1: objects are stored without a version', async () => {
    await doc('chain', 'write', 'Ada', 'first draft')
    await doc('retried', 'write', 'Grace', 'notes')
    await doc('refused', 'write', 'Linus', 'kernel')
    await doc('not-json', 'write', 'Ken', 'when')
    await doc('not-object', 'write', 'Barbara', 'list')
    expect(await doc('chain', 'storedVersion')).toBe(null)
    await feed('big', 'watchWrites')
    await feed('big', 'fill', 10_000)
    await feed('big', 'fillIndex', 3000)
    await feed('big', 'takeWrites')
    await doc('chain', 'watchWrites')
  })

  test('v2: an old object migrates on its first call; a new one starts at version 2 and init runs', async () => {
    await deploy('v2')
    expect(await doc('at-v2', 'read')).toEqual({ name: 'made at v2', body: '', draft: false, tags: ['from init at v2'] })
    expect(await doc('at-v2', 'storedVersion')).toBe('2')
    expect(await doc('retried', 'read')).toEqual({ name: 'Grace', body: 'notes', draft: true, tags: [] })
    expect(await doc('retried', 'storedVersion')).toBe('2')
  })

  test('v4 with a throwing step: the call fails naming the object and the step, nothing is written, the next call tries again', async () => {
    await deploy('v4-broken')
    const error = await objects.failure('DOC', 'chain', 'read')
    expect(error).toMatchObject({ name: 'DurableObjectStateError', path: 'state' })
    expect(error.message).toBe(
      "Doc: migrating the stored state from version 1 to 4 failed at step 2 -> 3: migrate[3] threw: Cannot read properties of undefined (reading 'name'). " +
        'Nothing was written: the object keeps its version 1 state, and the next call tries again. Fix migrate[3] (or the schema) and deploy.',
    )
    // An object at version 2 fails at the same step, saying it keeps its version 2 state.
    expect((await objects.failure('DOC', 'retried', 'read')).message).toMatch(
      /^Doc: migrating the stored state from version 2 to 4 failed at step 2 -> 3: .* keeps its version 2 state/,
    )
    expect((await objects.failure('DOC', 'chain', 'read')).message).toMatch(/failed at step 2 -> 3/)
  })

  test('v4 whose result the schema refuses: the call names the step and the refused path', async () => {
    await deploy('v4-refused')
    const error = await objects.failure('DOC', 'refused', 'read')
    expect(error).toMatchObject({ name: 'DurableObjectStateError', path: 'state.title' })
    expect(error.message).toMatch(
      /^Doc: migrating the stored state from version 1 to 4 failed at step 3 -> 4: the result does not match the schema: state\.title: .*\. Nothing was written/,
    )
    const notJson = await objects.failure('DOC', 'not-json', 'read')
    expect(notJson).toMatchObject({ name: 'DurableObjectStateError', path: 'state.at' })
    expect(notJson.message).toMatch(
      /^Doc: migrating the stored state from version 1 to 4 failed at step 3 -> 4: state\.at .*Nothing was written/,
    )
    expect((await objects.failure('DOC', 'not-object', 'read')).message).toMatch(
      /^Doc: migrating the stored state from version 1 to 4 failed at step 3 -> 4: migrate\[4\] returned an array instead of the state as a plain object\. Nothing was written/,
    )
  })

  test('v4 fixed: a chain of 3 steps runs once, in order, over eviction; the object at version 2 runs only steps 3 and 4', async () => {
    await deploy('v4')
    expect(await doc('chain', 'read')).toEqual({ title: 'Ada', tags: [], body: 'first draft' })
    expect(await doc('chain', 'storedVersion')).toBe('4')
    // The triggers were set at v1, so they saw the failed attempts too: those wrote nothing. The
    // migration wrote the version and the keys that changed, not body.
    expect(await doc('chain', 'takeWrites')).toEqual(['meta version 4', 'insert tags', 'insert title', 'delete name', 'delete draft'])
    expect(await doc('retried', 'read')).toEqual({ title: 'Grace', tags: [], body: 'notes' })
    expect(await doc('at-v2', 'read')).toEqual({ title: 'made at v2', body: '', tags: ['from init at v2'] })
    expect(await doc('refused', 'read')).toEqual({ title: 'Linus', tags: [], body: 'kernel' })
    expect(await doc('not-json', 'read')).toEqual({ title: 'Ken', tags: [], body: 'when' })
    expect(await doc('not-object', 'read')).toEqual({ title: 'Barbara', tags: [], body: 'list' })
    expect(await doc('chain', 'addTag', 'migrated')).toEqual(['migrated'])
    await worker.restart()
    expect(await doc('chain', 'read')).toEqual({ title: 'Ada', tags: ['migrated'], body: 'first draft' })
    expect(await doc('chain', 'takeWrites')).toEqual(['update tags'])
  })

  test('v4: a new object starts at version 4 and is not migrated', async () => {
    expect(await doc('at-v4', 'read')).toEqual({ title: 'made at v4', tags: [], body: '' })
    expect(await doc('at-v4', 'storedVersion')).toBe('4')
  })

  test('10,000 stored items are migrated once, and a step that adds one key writes that row and the version only (not the 3 MB index kept in chunks)', async () => {
    expect(await feed('big', 'summary')).toEqual({ count: 10_000, last: { id: 9999, text: 'entry 9999' }, total: 10_000, unread: 0 })
    expect(await feed('big', 'takeWrites')).toEqual(['meta version 2', 'insert unread'])
    await worker.restart()
    expect(await feed('big', 'summary')).toMatchObject({ count: 10_000, unread: 0 })
    expect(await feed('big', 'takeWrites')).toEqual([])
  })

  test("a step that edits one of the 10,000 items writes that item's row only", async () => {
    await deploy('v5')
    expect(await feed('big', 'entry', 5000)).toEqual({ id: 5000, text: 'edited by step 3' })
    // The index, in chunks (3 MB), has one value changed to one of the same length: one chunk.
    expect(await feed('big', 'takeWrites')).toEqual(['meta version 3', 'update entries[]', 'update index#'])
    expect(await feed('big', 'entry', 4999)).toEqual({ id: 4999, text: 'entry 4999' })
    expect(await feed('big', 'indexValues')).toEqual({ count: 3000, k1500: 'yyy', k2999: 'xxx' })
  })

  test('back to v1 (a rolled-back deploy): a state stored at a newer version is never touched, and calls say so', async () => {
    await deploy('v1')
    const error = await objects.failure('DOC', 'chain', 'read')
    expect(error).toMatchObject({ name: 'DurableObjectStateError', path: 'state' })
    expect(error.message).toBe(
      "Doc: the stored state is at version 4, newer than this code's version 1 (it was written by a later deploy). " +
        'It is never migrated down or overwritten, so every call fails until code at version 4 or later is deployed again.',
    )
    expect((await objects.failure('DOC', 'chain', 'write', 'x', 'y')).message).toMatch(/stored state is at version 4/)
    await deploy('v4')
    expect(await doc('chain', 'read')).toEqual({ title: 'Ada', tags: ['migrated'], body: 'first draft' })
    expect(await doc('chain', 'takeWrites')).toEqual([])
  })
})
