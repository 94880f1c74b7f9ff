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

test("the factory-made limiter has the app's limit (3), the re-exported one the package's (10)", async () => {
  const answers = []
  for (let i = 0; i < 4; i++) {
    const response = await app.fetch('/api/limit/client-a', { method: 'POST' })
    answers.push({ status: response.status, ...((await response.json()) as object) })
  }
  expect(answers).toEqual([
    { status: 200, allowed: true, remaining: 2, defaultRemaining: 9, views: 1 },
    { status: 200, allowed: true, remaining: 1, defaultRemaining: 8, views: 2 },
    { status: 200, allowed: true, remaining: 0, defaultRemaining: 7, views: 3 },
    { status: 429, allowed: false, remaining: 0, defaultRemaining: 6, views: 4 },
  ])
})

test('each is its own class with its own objects: reset() of one leaves the other', async () => {
  await app.objects.RateLimiter.getByName('client-b').take()
  await app.objects.DefaultLimiter.getByName('client-b').take()
  await app.objects.RateLimiter.getByName('client-b').reset()
  expect(await app.objects.RateLimiter.getByName('client-b').take()).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 })
  expect((await app.objects.DefaultLimiter.getByName('client-b').take()).remaining).toBe(8)
})
