// One contract, two servers: the same app served by `cloudwerk dev` (routes and objects as two
// bundles, routes evaluated by the dev loader) and by the built bundle (dist/index.js, one Worker,
// in workerd through Miniflare) must give the same answers, so the two cannot drift apart. Each
// test asks both servers the same thing and checks both against one expected answer.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'jsonc-parser'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, expect, test } from 'vitest'
import WebSocket from 'ws'
import { CLI, copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

const run = promisify(execFile)
const registry = mkdtempSync(join(tmpdir(), 'cw-contract-registry-'))
const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }

let devDir: string
let builtDir: string
let dev: DevProcess
let mf: Miniflare
const servers: Record<'dev' | 'built', string> = { dev: '', built: '' }

/** `cloudwerk build`, then dist/index.js in Miniflare with the bindings the build wrote. */
async function serveBuilt(dir: string): Promise<string> {
  await run(process.execPath, [CLI, 'build'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' } })
  const config = parse(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')) as {
    compatibility_date: string
    durable_objects: { bindings: { name: string; class_name: string }[] }
  }
  mf = new Miniflare({
    modules: true,
    modulesRoot: dir,
    scriptPath: join(dir, 'dist/index.js'),
    compatibilityDate: config.compatibility_date,
    cf: false,
    port: 0,
    durableObjects: Object.fromEntries(config.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: true }])),
    durableObjectsPersist: join(dir, '.wrangler/state/do'),
  })
  return (await mf.ready).origin
}

beforeAll(async () => {
  devDir = copyApp('contract-app')
  builtDir = copyApp('contract-app')
  const [started, built] = await Promise.all([startDev(devDir, [], env), serveBuilt(builtDir)])
  dev = started
  servers.dev = dev.url
  servers.built = built
}, 120_000)
afterAll(async () => {
  if (dev && dev.child.exitCode === null) await dev.stop()
  await mf?.dispose()
  removeApp(devDir)
  removeApp(builtDir)
  removeApp(registry)
})

interface Answer {
  status: number
  headers: Record<string, string | null>
  body: unknown
}

/** What a server answers, reduced to what the contract fixes (named headers, JSON or text body; HEAD has none). */
async function ask(origin: string, path: string, init: RequestInit = {}, headers: string[] = []): Promise<Answer> {
  const response = await fetch(origin + path, init)
  const text = await response.text()
  const json = response.headers.get('content-type')?.includes('application/json')
  return {
    status: response.status,
    headers: Object.fromEntries(['x-middleware', ...headers].map((name) => [name, response.headers.get(name)])),
    body: json && text ? JSON.parse(text) : text,
  }
}

/** Both servers, in turn (an object's state is per server, so the order of calls is the same). */
async function askBoth(path: string, init?: RequestInit, headers?: string[]): Promise<Answer[]> {
  return [await ask(servers.dev, path, init, headers), await ask(servers.built, path, init, headers)]
}

async function expectBoth(path: string, expected: Answer, init?: RequestInit) {
  const [fromDev, fromBuilt] = await askBoth(
    path,
    init,
    Object.keys(expected.headers).filter((h) => h !== 'x-middleware'),
  )
  expect({ dev: fromDev, built: fromBuilt }).toEqual({ dev: expected, built: expected })
}

const marked = { 'x-middleware': 'app' }

test('static, param and catch-all routes match and decode the same way', async () => {
  await expectBoth('/', { status: 200, headers: marked, body: 'home' })
  await expectBoth('/api/rooms/caf%C3%A9', { status: 200, headers: marked, body: { room: 'café' } })
  await expectBoth('/files/a/b.txt', { status: 200, headers: marked, body: { path: 'a/b.txt' } })
  await expectBoth('/shop', { status: 200, headers: marked, body: { category: '' } })
  await expectBoth('/shop/books/fiction', { status: 200, headers: marked, body: { category: 'books/fiction' } })
})

test('404 (no route, so no middleware), and 405, OPTIONS and HEAD through the middleware', async () => {
  await expectBoth('/files', { status: 404, headers: { 'x-middleware': null }, body: { error: 'Not Found' } })
  await expectBoth('/nowhere', { status: 404, headers: { 'x-middleware': null }, body: { error: 'Not Found' } })
  await expectBoth(
    '/api/rooms/x',
    { status: 405, headers: { ...marked, allow: 'GET, HEAD, DELETE, OPTIONS' }, body: { error: 'Method Not Allowed' } },
    { method: 'PUT' },
  )
  await expectBoth(
    '/api/rooms/x',
    { status: 204, headers: { ...marked, allow: 'GET, HEAD, DELETE, OPTIONS' }, body: '' },
    { method: 'OPTIONS' },
  )
  await expectBoth(
    '/api/rooms/x',
    { status: 200, headers: { ...marked, 'content-type': 'application/json; charset=UTF-8' }, body: '' },
    { method: 'HEAD' },
  )
})

test('nested middleware runs outer first, and may answer by itself', async () => {
  await expectBoth('/admin/stats', { status: 401, headers: marked, body: { error: 'Key required' } })
  await expectBoth(
    '/admin/stats',
    { status: 200, headers: { 'x-middleware': 'admin, app' }, body: { stats: true } },
    { headers: { 'x-key': 'let-me-in' } },
  )
})

test('a route calls an object over RPC', async () => {
  await expectBoth('/api/counter/a', { status: 200, headers: marked, body: { value: 2 } }, { method: 'POST' })
  await expectBoth('/api/counter/a', { status: 200, headers: marked, body: { value: 4 } }, { method: 'POST' })
  await expectBoth('/api/counter/b', { status: 200, headers: marked, body: { value: 2 } }, { method: 'POST' })
})

test('errors: an HttpError keeps its status and headers; anything else is a 500 (details only in dev)', async () => {
  await expectBoth('/api/fail/http', { status: 418, headers: { ...marked, 'x-reason': 'tea' }, body: { error: 'I am a teapot' } })
  for (const [kind, message] of [
    ['throw', 'failed at /api/fail/throw'],
    ['no-return', 'must return a Response, but returned undefined'],
  ]) {
    const [fromDev, fromBuilt] = await askBoth(`/api/fail/${kind}`)
    expect(fromBuilt).toEqual({ status: 500, headers: marked, body: { error: 'Internal Server Error' } })
    // Dev (CLOUDWERK_DEV) answers with the message and stack instead.
    expect(fromDev).toMatchObject({
      status: 500,
      headers: marked,
      body: { error: expect.stringContaining(message), stack: expect.any(String) },
    })
  }
})

test('a WebSocket upgrade forwarded to an object is accepted and answered', async () => {
  const exchange = async (origin: string) => {
    const socket = new WebSocket(origin.replace(/^http/, 'ws') + '/api/ws')
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const replies: string[] = []
    for (const message of ['one', 'two']) {
      const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))))
      socket.send(message)
      replies.push(await reply)
    }
    socket.close()
    return replies
  }
  expect({ dev: await exchange(servers.dev), built: await exchange(servers.built) }).toEqual({
    dev: ['one 1', 'two 2'],
    built: ['one 1', 'two 2'],
  })
})
