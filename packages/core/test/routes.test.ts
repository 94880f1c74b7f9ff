// The route runtime over HTTP in workerd, outside development (no CLOUDWERK_DEV).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker.ts'
import { captureLogs } from './support/logs.ts'

const logs = captureLogs()
let worker: TestWorker

beforeAll(async () => {
  worker = await startWorker({ entry: new URL('./fixtures/routes-app.ts', import.meta.url).pathname, miniflare: logs.miniflare })
})
afterAll(() => worker?.dispose())

const get = (path: string, init?: RequestInit) => worker.fetch(path, init)
const paramsOf = async (path: string) => ((await (await get(path)).json()) as { params: Record<string, string> }).params

describe('matching', () => {
  test('the root path', async () => {
    expect(await (await get('/')).text()).toBe('home')
  })

  test('a static segment wins over a param, whatever the order of the routes', async () => {
    expect(await (await get('/users/new')).text()).toBe('new user form')
    expect(await paramsOf('/users/42')).toEqual({ id: '42' })
  })

  test('a param wins over a catch-all, a static segment over both', async () => {
    expect(await paramsOf('/docs/a/b')).toEqual({ a: 'a', b: 'b' })
    expect(await (await get('/files/readme')).text()).toBe('readme')
  })

  test('a trailing slash matches the same route', async () => {
    expect(await paramsOf('/users/42/')).toEqual({ id: '42' })
  })

  test('an unknown path is a JSON 404', async () => {
    const response = await get('/nope/here')
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'Not Found' })
  })
})

describe('params', () => {
  test.each([
    ['/users/ada%20lovelace', { id: 'ada lovelace' }],
    ['/users/caf%C3%A9', { id: 'café' }],
    ['/users/a%2Fb', { id: 'a/b' }],
    ['/users/100%25', { id: '100%' }],
    ['/users/%2541', { id: '%41' }],
    // Broken percent-encoding is passed on as written rather than failing the request.
    ['/users/%E0%A4%A', { id: '%E0%A4%A' }],
  ])('%s is decoded', async (path, params) => {
    expect(await paramsOf(path)).toEqual(params)
  })

  test.each([
    ['/files/a', { path: 'a' }],
    ['/files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['/files/a/b/', { path: 'a/b' }],
    ['/files/my%20docs/caf%C3%A9.txt', { path: 'my docs/café.txt' }],
  ])('catch-all %s', async (path, params) => {
    expect(await paramsOf(path)).toEqual(params)
  })

  test('a catch-all needs at least one segment', async () => {
    expect((await get('/files')).status).toBe(404)
  })

  test.each([
    ['/docs', { slug: '' }],
    ['/docs/', { slug: '' }],
    ['/docs/intro', { slug: 'intro' }],
    ['/docs/guide/routing/params', { slug: 'guide/routing/params' }],
  ])('optional catch-all %s', async (path, params) => {
    expect(await paramsOf(path)).toEqual(params)
  })
})

describe('methods', () => {
  test('each exported method is called with the request', async () => {
    const response = await get('/users/7', { method: 'DELETE' })
    expect(await response.json()).toEqual({ method: 'DELETE', params: { id: '7' } })
  })

  test('HEAD is answered by GET without the body', async () => {
    const response = await get('/head', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-from')).toBe('GET')
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await response.text()).toBe('')
  })

  test('the body is dropped by the app itself, not only by the HTTP layer', async () => {
    expect(await (await get('/head-direct')).json()).toEqual({ status: 200, body: null, from: 'GET' })
  })

  test('an exported HEAD is used instead of GET', async () => {
    const response = await get('/own-head', { method: 'HEAD' })
    expect(response.headers.get('x-from')).toBe('HEAD')
  })

  test('OPTIONS answers 204 with Allow', async () => {
    const response = await get('/users/7', { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, DELETE, OPTIONS')
  })

  test('an exported OPTIONS is used', async () => {
    const response = await get('/own-options', { method: 'OPTIONS' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('custom options')
  })

  test.each([
    ['PUT', '/users/7', 'GET, HEAD, POST, DELETE, OPTIONS'],
    ['PATCH', '/own-options', 'PUT, OPTIONS'],
    ['GET', '/post-only', 'POST, OPTIONS'],
    ['HEAD', '/post-only', 'POST, OPTIONS'],
    ['PURGE', '/users/7', 'GET, HEAD, POST, DELETE, OPTIONS'],
  ])('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
    const response = await get(path, { method })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe(allow)
    if (method !== 'HEAD') expect(await response.json()).toEqual({ error: 'Method Not Allowed' })
  })
})

describe('errors', () => {
  test('a thrown HttpError is its status, message and headers', async () => {
    const response = await get('/errors/http')
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('60')
    expect(await response.json()).toEqual({ error: 'slow down' })
  })

  test('any other error is a 500 that hides the message, logged with the route file', async () => {
    const response = await get('/errors/crash')
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(JSON.parse(body)).toEqual({ error: 'Internal Server Error' })
    expect(body).not.toContain('hunter2')
    await logs.waitFor(/GET \/errors\/crash failed in app\/errors\/crash\/route\.ts/)
    await logs.waitFor(/password=hunter2/)
  })

  test('a malformed JSON body is an error status and the Worker keeps serving', async () => {
    const response = await get('/errors/crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })
    expect(response.status).toBe(500)
    expect((await get('/')).status).toBe(200)
  })

  test('a handler that returns no Response is a 500 whose log names the file and method', async () => {
    const response = await get('/errors/no-response')
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'Internal Server Error' })
    await logs.waitFor(/app\/errors\/no-response\/route\.ts: GET must return a Response, but returned Object/)
  })

  test('outside development no request lines are logged', async () => {
    await get('/users/quiet')
    await logs.waitFor(/failed in/)
    expect(logs.lines.some((line) => /^GET \/users\/quiet \d{3} \d+ms/.test(line))).toBe(false)
  })
})

describe('middleware', () => {
  test('wraps the handler, outermost first', async () => {
    const response = await get('/mw/onion')
    expect(await response.text()).toBe('handler')
    expect(response.headers.get('x-trail')).toBe('inner, outer')
  })

  test('sees a failed handler as its error response', async () => {
    const response = await get('/mw/onion', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('x-trail')).toBe('inner, outer')
  })

  test('also wraps the automatic OPTIONS and 405 answers', async () => {
    expect((await get('/mw/onion', { method: 'OPTIONS' })).headers.get('x-trail')).toBe('inner, outer')
    const refused = await get('/mw/onion', { method: 'PUT' })
    expect(refused.status).toBe(405)
    expect(refused.headers.get('x-trail')).toBe('inner, outer')
  })

  test('may answer without calling next()', async () => {
    const refused = await get('/mw/guarded')
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-trail')).toBe('outer')
    const allowed = await get('/mw/guarded', { headers: { 'x-key': 'open sesame' } })
    expect(await allowed.text()).toBe('secret')
  })

  test('a thrown HttpError is its status', async () => {
    const response = await get('/mw/throws')
    expect(response.status).toBe(418)
    expect(await response.json()).toEqual({ error: 'short and stout' })
  })

  test('a middleware that returns nothing is a 500 whose log says what to fix', async () => {
    expect((await get('/mw/forgets-return')).status).toBe(500)
    await logs.waitFor(/Middleware 1 of app\/mw\/forgets-return\/route\.ts must return a Response, but returned undefined/)
  })

  test('calling next() twice is an error', async () => {
    expect((await get('/mw/twice')).status).toBe(500)
    await logs.waitFor(/next\(\) called more than once in middleware 1 of app\/mw\/twice\/route\.ts/)
  })
})
