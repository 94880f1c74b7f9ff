import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '@cloudwerk/cli/testing'

// The app runs in workerd (the Workers runtime) with private storage for this file.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(() => app?.close()) // app is unset when startTestApp failed: its error is the one to read

test('POST increments and GET reads the counter', async () => {
  expect(await (await app.fetch('/api/counter/a?amount=2', { method: 'POST' })).json()).toEqual({ value: 2 })
  expect(await (await app.fetch('/api/counter/a', { method: 'POST' })).json()).toEqual({ value: 3 })
  expect(await (await app.fetch('/api/counter/a')).json()).toEqual({ value: 3 })
})

test('a bad amount is a 400', async () => {
  expect((await app.fetch('/api/counter/a?amount=lots', { method: 'POST' })).status).toBe(400)
})

test('objects can be called directly, and keep their state when evicted', async () => {
  const counter = app.objects.Counter.getByName('direct')
  expect(await counter.increment(5)).toBe(5)
  await app.evict()
  expect(await counter.getValue()).toBe(5)
})
