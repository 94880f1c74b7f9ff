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

const nextMidnightUtc = () => new Date().setUTCHours(24, 0, 0, 0)

test('a new counter starts at 0 with its reset set for midnight UTC', async () => {
  expect(await app.objects.Counter.getByName('new').get()).toEqual({ value: 0, previous: [], resetAt: nextMidnightUtc() })
})

test('a scheduled reset runs as an alarm: the total is kept, the counter restarts, midnight is next', async () => {
  const counter = app.objects.Counter.getByName('soon')
  await counter.increment(3)
  await counter.scheduleReset(0.2)
  await expect.poll(() => counter.get(), { timeout: 5_000 }).toMatchObject({ value: 0, previous: [{ total: 3 }] })
  expect((await counter.get()).resetAt).toBe(nextMidnightUtc())
  expect(await counter.increment()).toBe(1)
})

test('a reset delay out of range is a 400 that says why', async () => {
  const response = await app.fetch('/api/counters/soon/reset?in=90000', { method: 'POST' })
  expect(response.status).toBe(400)
  expect(await response.json()).toEqual({
    error: 'The reset delay must be more than 0 and at most 86400 seconds, got 90000. Give it as ?in=10.',
  })
})

test('the value and the pending reset survive eviction', async () => {
  const counter = app.objects.Counter.getByName('kept')
  await counter.increment(7)
  const resetAt = await counter.scheduleReset(3600)
  await app.evict()
  expect(await counter.get()).toEqual({ value: 7, previous: [], resetAt })
})
