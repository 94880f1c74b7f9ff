// createApp's notFound option, over HTTP in workerd.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker.ts'
import { captureLogs } from './support/logs.ts'

const logs = captureLogs()
let worker: TestWorker

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/not-found-app.ts', import.meta.url).pathname,
    miniflare: { ...logs.miniflare, bindings: { SITE_NAME: 'Example' } },
  })
})
afterAll(() => worker?.dispose())

test('a custom notFound answers unknown paths, with the env', async () => {
  const response = await worker.fetch('/missing/page')
  expect(response.status).toBe(404)
  expect(await response.text()).toBe('Example has no /missing/page')
  expect(await (await worker.fetch('/known')).text()).toBe('known')
})

test('a notFound handler that throws is a 500 like a route that throws', async () => {
  const response = await worker.fetch('/boom/x')
  expect(response.status).toBe(500)
  expect(await response.json()).toEqual({ error: 'Internal Server Error' })
  await logs.waitFor(/GET \/boom\/x failed in the notFound handler/)
})
