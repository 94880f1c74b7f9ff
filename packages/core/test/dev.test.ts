// The same routes in development (CLOUDWERK_DEV set): errors show their details, requests are logged.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker.ts'
import { captureLogs } from './support/logs.ts'

const logs = captureLogs()
let worker: TestWorker

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/routes-app.ts', import.meta.url).pathname,
    miniflare: { ...logs.miniflare, bindings: { CLOUDWERK_DEV: '1' } },
  })
})
afterAll(() => worker?.dispose())

test('a 500 shows the message and stack', async () => {
  const response = await worker.fetch('/errors/crash')
  expect(response.status).toBe(500)
  const body = (await response.json()) as { error: string; stack: string }
  expect(body.error).toBe('password=hunter2')
  expect(body.stack).toMatch(/^Error: password=hunter2\n\s+at /)
})

test('a handler that returns no Response says which file and method must return one', async () => {
  const body = (await (await worker.fetch('/errors/no-response')).json()) as { error: string }
  expect(body.error).toBe('app/errors/no-response/route.ts: GET must return a Response, but returned Object. Did you forget `return`?')
})

test('an HttpError is unchanged', async () => {
  const response = await worker.fetch('/errors/http')
  expect(response.status).toBe(429)
  expect(await response.json()).toEqual({ error: 'slow down' })
})

test('each request is logged as METHOD /path STATUS Nms', async () => {
  await worker.fetch('/users/42?secret=1')
  await worker.fetch('/nope', { method: 'POST' })
  await logs.waitFor(/^GET \/users\/42 200 \d+ms$/)
  await logs.waitFor(/^POST \/nope 404 \d+ms$/)
})
