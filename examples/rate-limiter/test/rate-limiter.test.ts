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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('allows `limit` requests per window, then says how long to wait', async () => {
  const limiter = app.objects.RateLimiter.getByName('client-a')
  expect(await limiter.hit(2, 60_000)).toEqual({ allowed: true, limit: 2, remaining: 1, retryAfterMs: 0 })
  expect(await limiter.hit(2, 60_000)).toEqual({ allowed: true, limit: 2, remaining: 0, retryAfterMs: 0 })
  const refused = await limiter.hit(2, 60_000)
  expect(refused).toMatchObject({ allowed: false, remaining: 0 })
  expect(refused.retryAfterMs).toBeGreaterThan(50_000)
  expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000)
})

test('the window slides: a request is allowed again once the oldest one leaves it, refused ones never counted', async () => {
  // A 6 s window with hits 3 s apart: each step below has about 3 s to spare, so a slow call on a
  // busy machine cannot shift the outcome.
  const limiter = app.objects.RateLimiter.getByName('client-b')
  await limiter.hit(2, 6000)
  await sleep(3000)
  await limiter.hit(2, 6000)
  const refused = await limiter.hit(2, 6000)
  expect(refused.allowed).toBe(false)
  // Only the first request has left the window: one more is allowed, not two.
  await sleep(refused.retryAfterMs + 50)
  expect(await limiter.hit(2, 6000)).toMatchObject({ allowed: true, remaining: 0 })
  expect((await limiter.hit(2, 6000)).allowed).toBe(false)
})

test('clients are limited separately', async () => {
  expect((await app.objects.RateLimiter.getByName('client-c').hit(1, 60_000)).allowed).toBe(true)
  expect((await app.objects.RateLimiter.getByName('client-c').hit(1, 60_000)).allowed).toBe(false)
  expect((await app.objects.RateLimiter.getByName('client-d').hit(1, 60_000)).allowed).toBe(true)
})

test('when its alarm rings after an idle window, a limiter frees its storage and starts afresh', async () => {
  const limiter = app.objects.RateLimiter.getByName('client-e')
  await limiter.hit(1, 60_000)
  expect((await limiter.hit(1, 60_000)).allowed).toBe(false)
  // The alarm is set for the window's end; running it now does what it does then. Inside the
  // window, only the stored hits being deleted can let the next request in.
  await app.runAlarm(limiter)
  expect(await limiter.hit(1, 60_000)).toEqual({ allowed: true, limit: 1, remaining: 0, retryAfterMs: 0 })
})
