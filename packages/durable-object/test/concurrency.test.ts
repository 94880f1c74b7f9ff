// Interleaving turns in workerd: a method that awaits outside I/O lets other calls in; turns are
// queued per object, so no lost updates, no foreign commits, no foreign rollbacks.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient
let echoCalls = 0

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/concurrency-app.ts', import.meta.url).pathname,
    durableObjects: { COUNTER: 'Counter', PEER: 'Peer', LOOP: 'Loop' },
    miniflare: {
      // Outside I/O: a fetch that leaves workerd and is answered by this Node process.
      serviceBindings: {
        ECHO: async () => {
          echoCalls++
          return new Response('ok') as never
        },
      },
    },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

const concurrently = (name: string, method: string, count: number) =>
  objects.callAll(Array.from({ length: count }, () => ({ binding: 'COUNTER', name, method })))

describe('concurrent calls that await between read and write', () => {
  test.each([
    ['a fetch', 'incrementAfterFetch'],
    ['another object', 'incrementAfterPeer'],
    ['a timer', 'incrementAfterTimer'],
  ])('50 increments awaiting %s give exactly 50', async (_, method) => {
    const outcomes = await concurrently(method, method, 50)
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    // Each call saw the value the previous one committed: results are 1..50, each once.
    const results = outcomes.map((outcome) => (outcome.ok ? Number(outcome.value) : 0)).sort((a, b) => a - b)
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index + 1))
    expect(await objects.call('COUNTER', method, 'read')).toMatchObject({ value: 50 })
  })

  test('the awaits really left workerd', () => {
    expect(echoCalls).toBeGreaterThanOrEqual(50)
  })

  test('a failing turn neither leaks its change into another commit nor undoes one', async () => {
    const calls = Array.from({ length: 20 }, (_, index) => ({
      binding: 'COUNTER',
      name: 'mixed',
      method: index % 2 ? 'addHundredThenFail' : 'incrementAfterFetch',
    }))
    const outcomes = await objects.callAll(calls)
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(10)
    expect(await objects.call('COUNTER', 'mixed', 'read')).toEqual({ value: 10, log: [] })
    await worker.restart()
    expect(await objects.call('COUNTER', 'mixed', 'read')).toEqual({ value: 10, log: [] })
  })
})

describe('an object that calls itself back', () => {
  test('fails the queued call after queueTimeoutMs with an error that explains the cycle and names this.outside', async () => {
    const result = await objects.call<any>('LOOP', 'cycle', 'callMyselfBack', 'cycle')
    expect(result.ok).toBe(false)
    expect(result.name).toBe('DurableObjectError')
    expect(result.message).toMatch(
      /^Loop: the call to "ping" waited \d+ ms for "callMyselfBack", which has been running for \d+ ms, awaiting something/,
    )
    expect(result.message).toMatch(
      /a call that comes back into this same object \(a cycle.*in "callMyselfBack", wrap that await in this\.outside.*queueTimeoutMs/,
    )
  })

  test('the object keeps working afterwards, and the timed-out call changed nothing', async () => {
    expect(await objects.call('LOOP', 'cycle', 'ping')).toBe(1)
  })
})
