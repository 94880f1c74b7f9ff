// Hostile HTTP against a built app (cloudwerk build, served by workerd outside development):
// bad bodies, odd paths, unknown methods, header floods. Each gets a status, nothing internal
// leaks, the server keeps serving, and the state a witness object holds does not change.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildAndServe, copyApp } from './support/app.mjs'
import { rawRequest } from './support/raw-http.mjs'

// In the app's failing route's messages, in secret.txt (beside public/) and in .dev.vars.
const SECRET = 'RELIABILITY-SECRET-MARKER'

let app: Awaited<ReturnType<typeof buildAndServe>>
const logs: string[] = []
let witness: unknown
beforeAll(async () => {
  app = await buildAndServe(copyApp('target'), { log: (line: string) => logs.push(line) })
  for (const [id, amount] of [
    ['a', 5],
    ['b', 7],
  ] as const) {
    await fetch(`${app.url}/api/ledger/witness`, { method: 'POST', body: JSON.stringify({ id, amount }) })
  }
  witness = await (await fetch(`${app.url}/api/ledger/witness`)).json()
}, 60_000)
afterAll(() => app?.close())

/** Still answering, static and dynamic, with the witness's state as it was. */
async function expectUnharmed() {
  expect(await (await fetch(`${app.url}/hello.txt`)).text()).toBe('static hello\n')
  expect(await (await fetch(`${app.url}/api/ledger/witness`)).json()).toEqual(witness)
}

/** Nothing a client should see outside development: app secrets, stack frames, source paths. */
function expectNoInternals(text: string) {
  expect(text).not.toContain(SECRET)
  expect(text).not.toMatch(/\n\s+at \S/)
  expect(text).not.toMatch(/app\/[\w/[\]().-]+\.ts|dist\/index\.js/)
}

describe('a failing handler', () => {
  test.each([
    ['GET', 'throws an Error whose message holds a secret'],
    ['POST', 'throws a plain object'],
    ['DELETE', 'returns a string instead of a Response'],
  ])('%s /api/boom (%s) is a bare 500, and the error is logged with the route file', async (method) => {
    const from = logs.join('').length
    const response = await fetch(`${app.url}/api/boom`, { method })
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('{"error":"Internal Server Error"}')
    await expect.poll(() => logs.join('').slice(from), { timeout: 10_000 }).toContain(`${method} /api/boom failed in app/api/boom/route.ts`)
    await expectUnharmed()
  })
})

describe('bodies', () => {
  test.each([
    ['not JSON at all', '{not json'],
    ['an empty body', ''],
    ['truncated JSON', '{"id": "x", "amount": '],
    ['a NUL byte', '\u0000'],
    ['a lone surrogate', '{"id": "\ud800", '],
  ])('malformed JSON (%s) is a 500 without details, and changes nothing', async (_kind, body) => {
    for (const path of ['/api/echo', '/api/ledger/witness']) {
      const response = await fetch(`${app.url}${path}`, { method: 'POST', body })
      expect(response.status).toBe(500)
      expectNoInternals(await response.text())
    }
    await expectUnharmed()
  })

  test.each([
    ['a string amount', { id: 'c', amount: '5' }],
    ['a fractional amount', { id: 'c', amount: 0.5 }],
    ['an amount that would make the balance negative', { id: 'c', amount: -100 }],
    ['a numeric id', { id: 7, amount: 1 }],
    ['a missing amount', { id: 'c' }],
    ['an id too large for one row (3 MB)', { id: 'x'.repeat(3 << 20), amount: 1 }],
  ])('well-formed JSON the object refuses (%s) is a 500 without details, and changes nothing', async (_kind, body) => {
    const response = await fetch(`${app.url}/api/ledger/witness`, { method: 'POST', body: JSON.stringify(body) })
    expect(response.status).toBe(500)
    expectNoInternals(await response.text())
    await expectUnharmed()
  })

  test('an 8 MB JSON document is read whole; deeply nested JSON is fine', async () => {
    const text = 'x'.repeat(8 << 20)
    const post = await fetch(`${app.url}/api/echo`, { method: 'POST', body: JSON.stringify({ text }) })
    expect((await post.json()).received.text.length).toBe(text.length)
    const deep = await fetch(`${app.url}/api/echo`, { method: 'POST', body: '['.repeat(100_000) + ']'.repeat(100_000) })
    expect(deep.status).toBe(200)
    await expectUnharmed()
  })

  test('a 40 MB body is read whole; as an RPC argument, over the RPC limit, it fails the call and changes nothing', async () => {
    const body = JSON.stringify({ id: 'x'.repeat(40 << 20), amount: 1 })
    expect(await (await fetch(`${app.url}/api/echo`, { method: 'PUT', body })).json()).toEqual({ bytes: body.length })
    const response = await fetch(`${app.url}/api/ledger/witness`, { method: 'POST', body })
    expect(response.status).toBe(500)
    expectNoInternals(await response.text())
    await expectUnharmed()
  })

  test('a body cut off halfway (the client disappears) does not hurt the server', async () => {
    await rawRequest(app.url, 'POST /api/echo HTTP/1.1\r\ncontent-length: 100000', { body: '{"half": ', hangUpAfterMs: 50 })
    await expectUnharmed()
  })
})

describe('paths', () => {
  const long = (unit: string, times: number) => unit.repeat(times)
  test.each([
    // [what, status, path, the body]
    ['a param', 200, '/api/counter/a', '{"value":0}'],
    ['a leading //', 404, '//api/counter/a', '{"error":"Not Found"}'],
    ['an empty segment', 404, '/api//counter/a', '{"error":"Not Found"}'],
    ['a trailing /', 200, '/api/counter/a/', '{"value":0}'],
    ['an encoded snowman', 200, '/api/counter/%E2%98%83', '{"value":0}'],
    ['an encoded é', 200, '/api/counter/caf%C3%A9', '{"value":0}'],
    ['broken percent-encoding', 200, '/api/counter/%E0%A4%A', '{"value":0}'],
    ['an encoded NUL', 200, '/api/counter/%00', '{"value":0}'],
    ['an encoded .. (the URL parser makes it /api/)', 404, '/api/counter/%2e%2e', '{"error":"Not Found"}'],
    ['bytes that are not UTF-8', 404, '/%ff%fe', '{"error":"Not Found"}'],
    ['encoded slashes in a catch-all (decoded once, as data)', 200, '/files/..%2F..%2Fsecret.txt', '{"path":"../../secret.txt"}'],
    ['a double-encoded ..', 200, '/files/%252e%252e', '{"path":"%2e%2e"}'],
    ['an 8,000-character param', 200, `/api/counter/${long('a', 8_000)}`, '{"value":0}'],
    ['a 5,000-segment catch-all', 200, `/files/${long('a/', 5_000)}`, `{"path":"${long('a/', 4_999)}a"}`],
    ['10,000 segments nothing matches', 404, `/${long('x/', 10_000)}`, '{"error":"Not Found"}'],
  ])('%s answers %i', async (_what, status, path, body) => {
    const response = await rawRequest(app.url, `GET ${path} HTTP/1.1`)
    expect(response.status).toBe(status)
    expect(response.body).toBe(body)
    await expectUnharmed()
  })

  test('a 200 KB request line is refused by workerd with 431, before the app', async () => {
    const response = await rawRequest(app.url, `GET /${'a'.repeat(200_000)} HTTP/1.1`)
    expect(response.status).toBe(431)
    await expectUnharmed()
  })
})

describe('static assets never serve a file outside public/', () => {
  const outside = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/.%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%252e%252e/secret.txt',
    '/hello.txt/../../secret.txt',
    '/public/../secret.txt',
    '/..%00/secret.txt',
    '/secret.txt',
    '/.dev.vars',
    '/wrangler.jsonc',
    '/package.json',
    '/dist/index.js',
    '/app/objects/ledger.ts',
    '/.wrangler/state/v3/do',
    '/node_modules/zod/package.json',
  ]
  test.each(outside)('%s', async (path) => {
    const response = await rawRequest(app.url, `GET ${path} HTTP/1.1`)
    expect(response.status).toBe(404)
    expect(response.body).toBe('{"error":"Not Found"}')
  })

  test('what is inside public/ is served', async () => {
    expect((await rawRequest(app.url, 'GET /hello.txt HTTP/1.1')).body).toBe('static hello\n')
    expect((await rawRequest(app.url, 'GET / HTTP/1.1')).body).toContain('<title>target</title>')
  })
})

describe('methods', () => {
  test.each(['PROPFIND', 'TRACE', 'PATCH', 'DELETE', 'GET'])('%s on a route without it is a 405 naming what is allowed', async (method) => {
    const response = await rawRequest(app.url, `${method} /api/echo HTTP/1.1`)
    expect(response.status).toBe(405)
    expect(response.text).toMatch(/\r\nallow: POST, PUT, OPTIONS\r\n/i)
    await expectUnharmed()
  })

  test.each([['FOO'], ['get'], ['300 letters', 'X'.repeat(300)], ['CONNECT']])(
    '%s, which HTTP does not know, is refused by workerd',
    async (label, method = label) => {
      const response = await rawRequest(app.url, `${method} /api/echo HTTP/1.1`)
      expect([0, 400, 405, 500, 501]).toContain(response.status)
      expectNoInternals(response.text)
      await expectUnharmed()
    },
  )
})

describe('header floods', () => {
  const many = (count: number) => Array.from({ length: count }, (_, i) => `x-flood-${i}: ${'v'.repeat(40)}`).join('\r\n')

  test('1,000 headers are read; the app answers', async () => {
    const response = await rawRequest(app.url, `GET /api/counter/a HTTP/1.1\r\n${many(1_000)}`)
    expect(response.status).toBe(200)
  })

  test('a 1 MB header is refused with 431', async () => {
    const response = await rawRequest(app.url, `GET /api/counter/a HTTP/1.1\r\nx-big: ${'v'.repeat(1 << 20)}`)
    expect(response.status).toBe(431)
    await expectUnharmed()
  })

  test('a 100 KB cookie is read; the app answers', async () => {
    const response = await rawRequest(app.url, `GET /api/counter/a HTTP/1.1\r\ncookie: ${'c=1; '.repeat(20_000)}`)
    expect(response.status).toBe(200)
  })

  test('1,500 headers fail in Miniflare before the app runs; nothing of the app leaks', async () => {
    // Miniflare's own entry Worker (local only: Cloudflare's edge refuses this before any
    // Worker) answers 500 with its stack ("header count exceeds maximum"). See RELIABILITY.md.
    const response = await rawRequest(app.url, `GET /api/counter/a HTTP/1.1\r\n${many(1_500)}`)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.text).not.toContain(SECRET)
    expect(response.text).not.toMatch(/app\/[\w/[\]().-]+\.ts|dist\/index\.js/)
    await expectUnharmed()
  })

  test('a hundred flooding connections at once leave the server serving', async () => {
    const floods = Array.from({ length: 100 }, () => rawRequest(app.url, `GET /api/counter/a HTTP/1.1\r\n${many(500)}`))
    const statuses = (await Promise.all(floods)).map((response) => response.status)
    expect(statuses.every((status) => status === 200)).toBe(true)
    await expectUnharmed()
  })
})
