import { expect, test } from 'vitest'
import { request, TYPECHECK_TIMEOUT, useExample } from './support.js'

// examples/counter, the quick start's `npm run example`: built and served by `cloudwerk dev`.
const example = useExample('counter')

test('serves the page and its script from public/', async () => {
  const page = await request(example, '/')
  expect(page.status).toBe(200)
  expect(page.body).toContain('<button id="increment">+1</button>')
  expect((await request(example, '/counter.js')).body).toContain('/api/counters/')
})

test('POST counts, GET reads the value and the next reset (midnight UTC)', async () => {
  expect((await request(example, '/api/counters/home', { method: 'POST' })).body).toEqual({ value: 1 })
  expect((await request(example, '/api/counters/home?by=5', { method: 'POST' })).body).toEqual({ value: 6 })
  expect((await request(example, '/api/counters/home')).body).toEqual({
    value: 6,
    previous: [],
    resetAt: new Date().setUTCHours(24, 0, 0, 0),
  })
  expect((await request(example, '/api/counters/other')).body).toMatchObject({ value: 0 })
})

test('bad input is a 400 that says what to send', async () => {
  expect(await request(example, '/api/counters/home?by=lots', { method: 'POST' })).toMatchObject({
    status: 400,
    body: { error: '?by= must be a whole number from 1 to 1000, got "lots".' },
  })
  expect((await request(example, '/api/counters/home/reset', { method: 'POST' })).body.error).toContain('Give it as ?in=10.')
})

test('a reset scheduled a second ahead happens: the alarm runs under cloudwerk dev', async () => {
  await request(example, '/api/counters/soon?by=4', { method: 'POST' })
  // A second from when the request was made (on a busy machine the answer itself may take a second).
  const asked = Date.now()
  const { body } = await request(example, '/api/counters/soon/reset?in=1', { method: 'POST' })
  expect(body.resetAt).toBeGreaterThanOrEqual(asked + 1000)
  expect(body.resetAt).toBeLessThanOrEqual(Date.now() + 1000)
  await expect
    .poll(async () => (await request(example, '/api/counters/soon')).body, { timeout: 15_000 })
    .toMatchObject({
      value: 0,
      previous: [{ total: 4 }],
    })
})

test('the example type-checks against the generated types (tsc ran beside the tests above)', () => example.typechecked(), TYPECHECK_TIMEOUT)
