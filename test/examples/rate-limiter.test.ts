import { expect, test } from 'vitest'
import { request, TYPECHECK_TIMEOUT, useExample } from './support.js'

// examples/rate-limiter: app/api/middleware.ts allows 5 requests per client in any 10 seconds.
const example = useExample('rate-limiter')

// The client's address as Cloudflare's edge sets it; under cloudwerk dev the test can choose it.
const from = (ip: string) => ({ headers: { 'CF-Connecting-IP': ip } })

test('five requests pass with the remaining count; the sixth is a 429 with Retry-After', async () => {
  for (const remaining of ['4', '3', '2', '1', '0']) {
    const { status, headers, body } = await request(example, '/api/hello', from('192.0.2.1'))
    expect({ status, body, remaining: headers.get('RateLimit-Remaining') }).toEqual({ status: 200, body: { hello: 'world' }, remaining })
    expect(headers.get('RateLimit-Limit')).toBe('5')
  }
  const refused = await request(example, '/api/hello', from('192.0.2.1'))
  expect(refused.status).toBe(429)
  const retryAfter = Number(refused.headers.get('Retry-After'))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(10)
  expect(refused.body).toEqual({ error: `Too many requests: the limit is 5 every 10 seconds. Try again in ${retryAfter} s.` })
})

test('another client is not affected', async () => {
  const { status, headers } = await request(example, '/api/hello', from('192.0.2.2'))
  expect(status).toBe(200)
  expect(headers.get('RateLimit-Remaining')).toBe('4')
})

test('routes outside app/api and static files are not limited', async () => {
  for (let i = 0; i < 8; i++) {
    expect(await request(example, '/health', from('192.0.2.1'))).toMatchObject({ status: 200, body: { ok: true } })
  }
  const page = await request(example, '/', from('192.0.2.1'))
  expect(page.status).toBe(200)
  expect(page.body).toContain('Rate limiter')
})

test('the example type-checks against the generated types (tsc ran beside the tests above)', () => example.typechecked(), TYPECHECK_TIMEOUT)
