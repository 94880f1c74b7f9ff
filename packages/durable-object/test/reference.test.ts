// The reference document's examples, run in workerd (WebSockets and alarms have their own files).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'
import { REFERENCE_ENTRY, REFERENCE_OBJECTS } from './support/reference'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({
    entry: REFERENCE_ENTRY,
    durableObjects: REFERENCE_OBJECTS,
    miniflare: { d1Databases: ['DB'] },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

describe('Counter', () => {
  test('increment, decrement (never below 0), getValue, reset', async () => {
    expect(await objects.call('COUNTER', 'basic', 'increment')).toBe(1)
    expect(await objects.call('COUNTER', 'basic', 'increment', 5)).toBe(6)
    expect(await objects.call('COUNTER', 'basic', 'decrement', 2)).toBe(4)
    expect(await objects.call('COUNTER', 'basic', 'decrement', 10)).toBe(0)
    await objects.call('COUNTER', 'basic', 'increment', 3)
    expect(await objects.call('COUNTER', 'basic', 'getValue')).toBe(3)
    expect(await objects.call('COUNTER', 'basic', 'reset')).toBe(0)
    expect(await objects.call('COUNTER', 'basic', 'getValue')).toBe(0)
  })

  test('objects with different names keep separate state', async () => {
    await objects.call('COUNTER', 'left', 'increment', 7)
    expect(await objects.call('COUNTER', 'right', 'getValue')).toBe(0)
  })

  test('the fetch handler shares state with RPC methods', async () => {
    await objects.call('COUNTER', 'http', 'increment', 2)
    const incremented = await worker.fetch('/counter/http/increment', { method: 'POST', body: JSON.stringify({ amount: 5 }) })
    expect(await incremented.json()).toEqual({ value: 7 })
    const read = await (await worker.fetch('/counter/http/')).json()
    expect(read).toMatchObject({ value: 7, timestamp: expect.any(Number) })
    expect(await objects.call('COUNTER', 'http', 'getValue')).toBe(7)
    expect((await worker.fetch('/counter/http/nope')).status).toBe(404)
  })
})

describe('UserSession (schema)', () => {
  test('setUser then getData; an expired session throws to the caller', async () => {
    await objects.call('USER_SESSION', 's1', 'setUser', 'user-1')
    expect(await objects.call('USER_SESSION', 's1', 'getData')).toMatchObject({ userId: 'user-1', data: {} })
    await objects.call('USER_SESSION', 's2', 'setUser', 'user-2', -10)
    expect(await objects.failure('USER_SESSION', 's2', 'getData')).toEqual({ name: 'Error', message: 'Session expired' })
  })
})

describe('Cart (RPC methods, env)', () => {
  test('addItem merges quantities; checkout writes to D1 and empties the cart', async () => {
    await objects.call('CART', 'user-1', 'addItem', 'prod_123', 2)
    await objects.call('CART', 'user-1', 'addItem', 'prod_456', 1)
    expect(await objects.call('CART', 'user-1', 'addItem', 'prod_123', 3)).toEqual([
      { productId: 'prod_123', quantity: 5 },
      { productId: 'prod_456', quantity: 1 },
    ])
    expect(await objects.call('CART', 'user-1', 'checkout')).toEqual({ success: true })
    expect(await objects.call('CART', 'user-1', 'getItems')).toEqual([])
    const db = await worker.mf.getD1Database('DB')
    const { results } = await db.prepare('SELECT items FROM orders').all<{ items: string }>()
    expect(results.map((row) => JSON.parse(row.items))).toEqual([
      [
        { productId: 'prod_123', quantity: 5 },
        { productId: 'prod_456', quantity: 1 },
      ],
    ])
  })
})

describe('Preferences (KV storage, transactions)', () => {
  test('set, get, list and clear preferences', async () => {
    await objects.call('PREFERENCES', 'p', 'setPreference', 'theme', 'dark')
    await objects.call('PREFERENCES', 'p', 'setPreference', 'layout', { columns: 2 })
    expect(await objects.call('PREFERENCES', 'p', 'getPreference', 'theme')).toBe('dark')
    expect(await objects.call('PREFERENCES', 'p', 'getAllPreferences')).toEqual({ 'pref:layout': { columns: 2 }, 'pref:theme': 'dark' })
    await objects.call('PREFERENCES', 'p', 'clearPreferences')
    expect(await objects.call('PREFERENCES', 'p', 'getAllPreferences')).toEqual({})
  })

  test('the storage API: multi-get, multi-put, list with options, delete', async () => {
    expect(await objects.call('PREFERENCES', 'tour', 'storageApiTour')).toEqual({
      single: 'value1',
      map: { key1: 'value1', key2: 'value2' },
      users: ['user:1', 'user:2'],
      deleted: true,
    })
  })

  test('transfer moves money atomically and refuses an overdraft', async () => {
    await objects.call('PREFERENCES', 'bank', 'deposit', 'alice', 100)
    await objects.call('PREFERENCES', 'bank', 'transfer', 'alice', 'bob', 30)
    expect(await objects.call('PREFERENCES', 'bank', 'balances', ['alice', 'bob'])).toEqual({ alice: 70, bob: 30 })
    expect(await objects.failure('PREFERENCES', 'bank', 'transfer', 'bob', 'alice', 31)).toMatchObject({ message: 'Insufficient funds' })
    expect(await objects.call('PREFERENCES', 'bank', 'balances', ['alice', 'bob'])).toEqual({ alice: 70, bob: 30 })
  })
})

describe('Analytics (SQLite)', () => {
  test('init creates the tables; events are tracked, listed and counted', async () => {
    const start = Date.now() - 1
    await objects.call('ANALYTICS', 'site', 'trackEvent', 'signup', { plan: 'pro' })
    await objects.call('ANALYTICS', 'site', 'trackEvent', 'click')
    await objects.call('ANALYTICS', 'site', 'trackEvent', 'click', { button: 'buy' })
    const recent = await objects.call<any[]>('ANALYTICS', 'site', 'getRecentEvents', 2)
    expect(recent.map((event) => [event.name, event.properties])).toEqual([
      ['click', '{"button":"buy"}'],
      ['click', null], // JSON.stringify(undefined) is bound as NULL
    ])
    expect(await objects.call('ANALYTICS', 'site', 'getEventCounts', start)).toEqual([
      { name: 'click', count: 2 },
      { name: 'signup', count: 1 },
    ])
  })

  test('ctx.sql takes the native variadic form and offers one()', async () => {
    await objects.call('ANALYTICS', 'forms', 'trackEvent', 'signup', { a: 1 })
    expect(await objects.call('ANALYTICS', 'forms', 'sqlForms')).toEqual({
      variadic: [{ a: 1, b: 'two' }],
      first: null,
      count: 1,
      written: 1,
      initialized: true,
    })
  })
})

describe('RateLimiter', () => {
  test('allows up to the limit within the window, then refuses; reset clears', async () => {
    const first = await objects.call<any>('RATE_LIMITER', 'ip', 'check', 2, 60_000)
    expect(first).toMatchObject({ allowed: true, remaining: 1 })
    expect(await objects.call('RATE_LIMITER', 'ip', 'check', 2, 60_000)).toMatchObject({ allowed: true, remaining: 0 })
    expect(await objects.call('RATE_LIMITER', 'ip', 'check', 2, 60_000)).toEqual({ allowed: false, remaining: 0, resetAt: first.resetAt })
    await objects.call('RATE_LIMITER', 'ip', 'reset')
    expect(await objects.call('RATE_LIMITER', 'ip', 'check', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 })
  })
})

describe('IDs', () => {
  test('idFromName, idFromString, newUniqueId, name and equals', async () => {
    expect(await (await worker.fetch('/ids/my-counter')).json()).toEqual({
      name: 'my-counter',
      sameNameSameId: true,
      roundTrip: true,
      uniqueDiffers: true,
      uniqueHasNoName: true,
      hex: true,
    })
  })
})
