// The examples of docs/ are tested: every complete file (a block starting with `// file: ...`) is
// written into a temporary project, built with the CLI, type-checked with tsc, and run in workerd,
// where the behaviour the pages describe is asserted over HTTP and WebSocket. Blocks marked
// `<!-- checked: ... -->` are compared with what the code really prints or writes.
import { parse } from 'jsonc-parser'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { generatedPath } from '../../packages/cli/src/pipeline/generated-paths'
import { startTestApp, type TestApp } from '../../packages/cli/src/testing/index'
import { startDev } from '../../packages/cli/test/support/dev-process'
import {
  checkedBlock,
  cloudwerk,
  node22,
  readBlocks,
  readPages,
  REPO,
  run,
  TSC,
  VITEST,
  writeApps,
  writeAppTypes,
  type Block,
} from './blocks'

const PAGES = [
  'README.md',
  'objects-and-state.md',
  'persistence.md',
  'changing-state.md',
  'routes-and-middleware.md',
  'bindings-and-types.md',
  'migrations.md',
  'websockets.md',
  'live-client.md',
  'alarms.md',
  'testing.md',
  'deploying.md',
  'cli.md',
]
// Pages whose complete files the tests below exercise.
const PAGES_WITH_FILES = PAGES.filter((page) => page !== 'migrations.md' && page !== 'cli.md')

const pages = readPages()
const blocks = readBlocks(pages)
const files = blocks.filter((b): b is Block & { file: string } => b.file !== undefined)
// The main docs app sits at the root; the apps of deploying.md (backend/, front/) and the
// migrations walkthrough live in folders next to its app/.
const root = mkdtempSync(join(tmpdir(), 'cloudwerk-docs-'))
const main = root
const NODE22 = node22()

beforeAll(() => {
  writeApps(root, blocks)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const page = (name: string) => pages.get(name) ?? ''
const output = (result: { stdout: string; stderr: string }) => result.stdout + result.stderr

describe('the pages', () => {
  test('every page exists, and every page with examples has complete files', () => {
    expect([...pages.keys()].sort()).toEqual(expect.arrayContaining(PAGES))
    for (const name of PAGES_WITH_FILES) expect(files.filter((f) => f.page === name).length, name).toBeGreaterThan(0)
  })

  test('every complete file has its own path, and every fence names its language', () => {
    const paths = files.map((f) => f.file)
    expect(paths.length).toBe(new Set(paths).size)
    for (const block of blocks) expect(block.lang, `${block.page}: a fence without a language`).not.toBe('')
  })

  test('links between pages point at pages and headings that exist', () => {
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    const anchors = (text: string) =>
      [...text.matchAll(/^#+ (.+)$/gm)].map(([, title]) =>
        title
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      )
    for (const [name, text] of pages) {
      for (const [, target, anchor] of text.matchAll(/\]\(([\w-]+\.md)?(?:#([\w-]+))?\)/g)) {
        const linked = target ?? name
        expect(pages.has(linked), `${name} links to ${linked}`).toBe(true)
        if (anchor) expect(anchors(pages.get(linked) ?? ''), `${name} links to ${linked}#${anchor}`).toContain(anchor)
      }
    }
  })
})

describe('the docs app builds and type-checks', () => {
  test('cloudwerk build', async () => {
    const result = await cloudwerk(main, ['build'])
    expect(result.code, output(result)).toBe(0)
    for (const name of ['Counter', 'TodoList', 'VisitLog', 'Wallet', 'Inventory', 'Lobby', 'Digest', 'Contact', 'Auction', 'Room']) {
      expect(result.stdout).toContain(name)
    }
  }, 60_000)

  test('tsc accepts every example, and rejects exactly the misspelt calls of bindings-and-types.md', async () => {
    const types = await writeAppTypes(main)
    expect(types.code, output(types)).toBe(0)
    // The test files, in their own world (test/tsconfig.json).
    const tests = await run(process.execPath, [TSC, '--noEmit', '-p', 'test'], { cwd: main })
    expect(tests.code, tests.stdout).toBe(0)
    // Not a route, so the build ignores it; tsc checks it with the rest (the tsconfig includes app/).
    const typo = join(main, 'app/typo-check.ts')
    writeFileSync(typo, checkedBlock(blocks, 'typo').code)
    try {
      const result = await run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], { cwd: main })
      const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'))
      expect(errors, result.stdout).toHaveLength(2)
      expect(errors.every((line) => line.startsWith('app/typo-check.ts'))).toBe(true)
      expect(errors[0]).toMatch(/Property 'reserv' does not exist .*Did you mean 'reserve'\?/)
      expect(errors[1]).toContain("Argument of type 'string' is not assignable to parameter of type 'number'.")
    } finally {
      unlinkSync(typo)
    }
  }, 120_000)

  test("the test world's tsconfig.json testing.md shows is the templates' own", () => {
    const shown = parse(checkedBlock(blocks, 'test-tsconfig').code)
    for (const template of ['basic', 'chat']) {
      expect(parse(readFileSync(join(REPO, 'templates', template, 'test', 'tsconfig.json'), 'utf8'))).toEqual(shown)
    }
  })

  test('the generated stub types are the ones bindings-and-types.md shows', () => {
    const shown = checkedBlock(blocks, 'inventory-types').code
    const entry = shown.slice(shown.indexOf('    /** app/objects/inventory.ts'), shown.indexOf('\n    }\n') + 6)
    expect(entry).toContain('Inventory: {')
    expect(readFileSync(generatedPath(main, 'types'), 'utf8')).toContain(entry)
  })

  // A vitest of its own, each file building the app and starting workerd: 67 s in a full run on a
  // busy machine.
  test('the test files of testing.md pass under vitest', async () => {
    const testFiles = files.filter((f) => f.file.startsWith('test/'))
    expect(testFiles.length).toBeGreaterThan(0)
    const result = await run(process.execPath, [VITEST, 'run', '--root', main], { cwd: main })
    expect(result.code, output(result)).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Test Files\\s+${testFiles.length} passed`))
  }, 180_000)
})

// Namespaces as startTestApp hands them out; typed loosely here, because this file is not
// compiled with the docs app's generated types.
type Stub = Record<string, (...args: any[]) => Promise<any>>
type Namespace = { getByName(name: string): Stub; get(id: { toString(): string }): Stub }
// How long a frame or its effect may take on a busy machine (vi.waitFor's default is 1 s).
const SOCKET_WAIT = { timeout: 10_000 }
// The client end of a WebSocket that Miniflare hands back for an upgrade request.
interface ClientSocket {
  accept(): void
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'message' | 'close', listener: (event: { data?: unknown; code?: number }) => void): void
}

describe('the examples do what the pages say', () => {
  let app: TestApp
  let objects: Record<string, Namespace>

  beforeAll(async () => {
    app = await startTestApp({ root: main })
    objects = app.objects as unknown as Record<string, Namespace>
  }, 60_000)
  afterAll(() => app?.close())

  const call = async (path: string, init?: RequestInit) => {
    const response = await app.fetch(path, init)
    return { status: response.status, headers: response.headers, body: await response.text() }
  }
  const post = (path: string, body?: unknown) =>
    call(
      path,
      body === undefined
        ? { method: 'POST' }
        : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    )

  test('README.md: the counter counts, and keeps its value after a restart', async () => {
    expect((await post('/api/counter/home')).body).toBe('{"value":1}')
    expect((await post('/api/counter/home')).body).toBe('{"value":2}')
    expect((await call('/api/counter/home')).body).toBe('{"value":2}')
    expect(page('README.md')).toMatch(/curl http:\/\/127\.0\.0\.1:8787\/api\/counter\/home\s+# \{"value":2\}/)
    await app.evict()
    expect((await call('/api/counter/home')).body).toBe('{"value":2}')
  }, 60_000)

  test('objects-and-state.md: the to-do list', async () => {
    const created = await post('/api/todos/home', { text: 'buy milk' })
    expect(created.status).toBe(201)
    expect(created.body).toBe('{"id":1,"text":"buy milk","done":false}')
    expect(page('objects-and-state.md')).toContain(created.body)
    expect((await post('/api/todos/home', { nope: 1 })).status).toBe(400)
    await post('/api/todos/home', { text: 'call mum' })

    const list = objects.TodoList.getByName('home')
    expect(await list.toggle(1)).toEqual({ id: 1, text: 'buy milk', done: true })
    expect(JSON.parse((await call('/api/todos/home')).body)).toMatchObject({ open: 1, done: 1 })
    expect(await list.clearDone()).toBe(1)
    expect(await list.list()).toEqual([{ id: 2, text: 'call mum', done: false }])
  })

  test('objects-and-state.md: the visit log in SQL', async () => {
    for (const path of ['/a', '/b', '/a', '/c', '/a', '/b']) await post('/api/visits/docs', { path })
    expect(JSON.parse((await post('/api/visits/docs', { path: '/d' })).body)).toEqual({ total: 7 })
    expect(JSON.parse((await call('/api/visits/docs')).body)).toEqual({
      top: [
        { path: '/a', visits: 3 },
        { path: '/b', visits: 2 },
        { path: '/c', visits: 1 },
      ],
    })
  })

  test('persistence.md: commits, rollbacks, schema errors, init once', async () => {
    const doc = page('persistence.md')
    const deposit = await post('/api/wallets/ana?amount=100')
    expect(deposit.body).toBe('{"balance":100}')
    expect((await post('/api/wallets/ana?op=withdraw&amount=30')).body).toBe('{"balance":70}')

    const refused = await post('/api/wallets/ana?op=withdraw&amount=500')
    expect(refused.status).toBe(409)
    expect(doc).toContain(`# 409 ${refused.body}`)

    const summary = JSON.parse((await call('/api/wallets/ana')).body)
    expect(summary).toMatchObject({ balance: 70, entries: 2 })

    const invalid = await post('/api/wallets/ana?amount=-1000')
    expect(invalid.status).toBe(422)
    expect(doc).toContain(`# 422 ${invalid.body}`)
    expect((await post('/api/wallets/ana?amount=2.5')).status).toBe(422)

    await app.evict()
    expect(JSON.parse((await call('/api/wallets/ana')).body)).toEqual(summary)
  }, 60_000)

  test('changing-state.md: a refused migration fails as the page shows; objects versions lists the steps', async () => {
    const contact = objects.Contact.getByName('page-refused')
    await app.seed(contact, { name: 'Alan Turing', phone: 5550142, fax: null }, { version: 1 })
    await expect(contact.get()).rejects.toThrow(checkedBlock(blocks, 'contact-refused').code.trim())
    const listed = await cloudwerk(main, ['objects', 'versions'])
    // The columns are as wide as the app's longest names: compare cell by cell.
    const rows = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s{2,}/))
    expect(rows(listed.stdout)).toEqual(expect.arrayContaining(rows(checkedBlock(blocks, 'contact-versions').code)))
  }, 60_000) // runs the CLI, which loads TypeScript

  test('routes-and-middleware.md: pages, params, automatic answers', async () => {
    const about = await call('/about')
    expect(about.status).toBe(200)
    expect(about.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    const head = await call('/about', { method: 'HEAD' })
    expect([head.status, head.body]).toEqual([200, ''])
    const options = await call('/about', { method: 'OPTIONS' })
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, OPTIONS'])
    const wrongMethod = await call('/about', { method: 'DELETE' })
    expect([wrongMethod.status, wrongMethod.headers.get('allow'), wrongMethod.body]).toEqual([
      405,
      'GET, HEAD, OPTIONS',
      '{"error":"Method Not Allowed"}',
    ])
    expect(await call('/nowhere')).toMatchObject({ status: 404, body: '{"error":"Not Found"}' })

    expect(JSON.parse((await call('/files/reports/2026/q1.pdf')).body)).toEqual({
      path: 'reports/2026/q1.pdf',
      segments: ['reports', '2026', 'q1.pdf'],
    })
    expect((await call('/files')).status).toBe(404)
    expect((await call('/shop')).body).toBe('{"category":"all"}')
    expect((await call('/shop/books/fiction')).body).toBe('{"category":"books/fiction"}')

    const link = await call('/go/about', { redirect: 'manual' })
    expect([link.status, link.headers.get('location')]).toEqual([302, '/about'])
    expect(await call('/go/nope')).toMatchObject({ status: 404, body: '{"error":"No link named nope"}' })
  })

  test('routes-and-middleware.md: HttpError and middleware', async () => {
    const notJson = await call('/api/feedback', { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } })
    expect([notJson.status, notJson.headers.get('accept'), notJson.body]).toEqual([415, 'application/json', '{"error":"Send JSON"}'])
    expect((await post('/api/feedback', { text: 'wrong key' })).status).toBe(400)
    const sent = await post('/api/feedback', { message: 'Nice docs' })
    expect(sent.status).toBe(201)
    expect(JSON.parse(sent.body).id).toMatch(/^[0-9a-f-]{36}$/)

    const locked = await call('/admin/stats')
    expect([locked.status, locked.headers.get('www-authenticate'), locked.body]).toEqual([
      401,
      'X-Admin-Key',
      '{"error":"Admin key required"}',
    ])
    // The middleware wraps the automatic OPTIONS answer too.
    expect((await call('/admin/stats', { method: 'OPTIONS' })).status).toBe(401)
    const open = await call('/admin/stats', { headers: { 'x-admin-key': 'let-me-in' } })
    expect(open.status).toBe(200)
    expect(JSON.parse(open.body)).toEqual({ visits: expect.any(Number) })
    expect(open.headers.get('server-timing')).toMatch(/^app;dur=\d+$/)
  })

  test('bindings-and-types.md: unique ids, idFromString, failed calls', async () => {
    const created = await post('/api/warehouses')
    expect(created.status).toBe(201)
    const { id } = JSON.parse(created.body) as { id: string }
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect((await call(`/api/warehouses/${id}`)).body).toBe('{"starter-kit":10}')
    expect(await call('/api/warehouses/not-an-id')).toMatchObject({ status: 404, body: '{"error":"No warehouse not-an-id"}' })

    const reserve = (quantity: number) => post(`/api/warehouses/${id}/reserve`, { sku: 'starter-kit', quantity })
    expect(JSON.parse((await reserve(4)).body)).toEqual({ sku: 'starter-kit', quantity: 4, left: 6 })
    expect(await reserve(7)).toMatchObject({ status: 409, body: '{"error":"Only 6 of starter-kit left"}' })
    expect(await objects.Inventory.get({ toString: () => id }).snapshot()).toEqual({ 'starter-kit': 6 })
  })

  test('websockets.md: join, talk, kick, leave', async () => {
    const connect = async (user: string) => {
      const response = await app.fetch(`/api/lobby/main?user=${user}`, { headers: { upgrade: 'websocket' } })
      const ws = (response as Response & { webSocket: ClientSocket | null }).webSocket
      if (!ws) throw new Error(`no WebSocket (status ${response.status})`)
      ws.accept()
      const received: any[] = []
      const closed = new Promise<number>((resolve) => ws.addEventListener('close', (event) => resolve(event.code!)))
      ws.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))))
      return { ws, received, closed }
    }
    const ana = await connect('ana')
    const ben = await connect('ben')
    await vi.waitFor(() => expect(ana.received).toContainEqual({ type: 'join', user: 'ben' }), SOCKET_WAIT)
    expect(ana.received[0]).toEqual({ type: 'welcome', recent: [] })

    ben.ws.send('hi ana')
    // Both hear it, in no order between the two sockets.
    for (const member of [ana, ben]) {
      await vi.waitFor(
        () => expect(member.received).toContainEqual(expect.objectContaining({ type: 'message', from: 'ben', text: 'hi ana' })),
        SOCKET_WAIT,
      )
    }
    const state = JSON.parse((await call('/api/lobby/main')).body)
    expect(state.online.sort()).toEqual(['ana', 'ben'])
    expect(state.recent).toEqual([expect.objectContaining({ from: 'ben', text: 'hi ana' })])

    expect(await objects.Lobby.getByName('main').kick('ben')).toBe(1)
    expect(await ben.closed).toBe(4000)
    await vi.waitFor(() => expect(ana.received).toContainEqual({ type: 'leave', user: 'ben' }), SOCKET_WAIT)

    // webSocketClose answers the client's close, so the close completes.
    ana.ws.close(1000, 'bye')
    expect(await ana.closed).toBe(1000)
    await vi.waitFor(async () => expect(await objects.Lobby.getByName('main').online()).toEqual([]), SOCKET_WAIT)
  })

  test('live-client.md: the route refuses strangers; a browser gets the synced keys, calls send, sees only the change', async () => {
    expect((await call('/api/rooms/tea/connect', { headers: { upgrade: 'websocket' } })).status).toBe(401)
    await objects.Room.getByName('tea').addNote('only for moderators')
    const response = await app.fetch('/api/rooms/tea/connect', { headers: { upgrade: 'websocket', cookie: 'user=ana' } })
    const ws = (response as Response & { webSocket: ClientSocket | null }).webSocket!
    const frames: any[] = []
    ws.addEventListener('message', (event) => frames.push(JSON.parse(String(event.data))))
    ws.accept()
    await vi.waitFor(() => expect(frames[0]).toEqual({ e: expect.any(String), v: 0, s: { topic: '', messages: [] } }), SOCKET_WAIT)
    ws.send(JSON.stringify({ c: 1, m: 'send', a: ['hello'] }))
    await vi.waitFor(() => expect(frames).toHaveLength(3), SOCKET_WAIT)
    expect(frames[1]).toEqual({ v: 1, k: { messages: [{ user: 'ana', text: 'hello', at: expect.any(Number) }] } })
    expect(frames[2]).toEqual({ r: 1 })
    ws.send(JSON.stringify({ c: 2, m: 'addNote', a: ['x'] }))
    await vi.waitFor(
      () => expect(frames[3]).toEqual({ r: 2, err: 'Room: "addNote" is not a method browsers may call (client.methods)' }),
      SOCKET_WAIT,
    )
    ws.close(1000, 'bye')
  })

  test('alarms.md: the digest sends one batch when its alarm fires', async () => {
    expect(JSON.parse((await post('/api/digests/team', { note: 'deploy done', delayMs: 1_000 })).body)).toEqual({ pending: 1 })
    expect(JSON.parse((await post('/api/digests/team', { note: 'tests green' })).body)).toEqual({ pending: 2 })
    expect(JSON.parse((await call('/api/digests/team')).body).alarm).toEqual(expect.any(Number))
    await vi.waitFor(
      async () => {
        const status = JSON.parse((await call('/api/digests/team')).body)
        expect(status).toEqual({
          pending: [],
          batches: [{ notes: ['deploy done', 'tests green'], sentAt: expect.any(Number), attempt: 0 }],
          alarm: null,
        })
      },
      { timeout: 10_000, interval: 50 },
    )
  }, 30_000)
})

describe('testing.md: tests inside the runtime (@cloudwerk/cli/vitest)', () => {
  const pool = join(root, 'counter-pool')

  test('the pool runs the test files in workerd, each file with its own storage', async () => {
    const result = await run(process.execPath, [VITEST, 'run'], { cwd: pool })
    expect(result.code, output(result)).toBe(0)
    expect(result.stdout).toMatch(/Test Files\s+2 passed/)
    expect(result.stdout).toMatch(/Tests\s+4 passed/)
  }, 180_000)

  test('the test files type-check, env typed by wrangler types', async () => {
    expect((await cloudwerk(pool, ['build'])).code).toBe(0)
    const types = await writeAppTypes(pool)
    expect(types.code, output(types)).toBe(0)
    expect(readFileSync(join(pool, 'worker-configuration.d.ts'), 'utf8')).toContain(
      'COUNTER: DurableObjectNamespace<import("./dist/index").Counter>',
    )
    for (const project of ['.', 'test']) {
      const tsc = await run(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: pool })
      expect(tsc.code, `${project}: ${tsc.stdout}`).toBe(0)
    }
  }, 120_000)
})

describe('alarms.md: schedules', () => {
  let app: TestApp
  beforeAll(async () => {
    app = await startTestApp({ root: main })
  }, 60_000)
  afterAll(() => app?.close())

  test('the auction has its declared schedules, and closes when runDue reaches its time', async () => {
    const opened = await app.fetch('/api/auctions/lamp', { method: 'POST', body: JSON.stringify({ item: 'lamp', minutes: 10 }) })
    expect(await opened.json()).toEqual({ open: true })
    const status = await (await app.fetch('/api/auctions/lamp')).json()
    expect(status.schedules.map((s: { key: string }) => s.key).sort()).toEqual(['close', 'digest', 'sweep'])
    expect(status.schedules.find((s: { key: string }) => s.key === 'digest')).toMatchObject({
      cron: '0 9 * * *',
      timezone: 'Europe/Paris',
      status: 'pending',
    })
    const auction = (app.objects as unknown as Record<string, Namespace>).Auction.getByName('lamp')
    await app.runDue(auction, { at: Date.now() + 11 * 60_000 })
    expect(await (await app.fetch('/api/auctions/lamp')).json()).toMatchObject({ open: false })
  })
})

describe('migrations.md: the walkthrough', () => {
  const dir = join(root, 'migrations-walkthrough')
  const object = (name: string) =>
    writeFileSync(
      join(dir, 'app/objects', `${name}.ts`),
      `import { defineDurableObject } from '@cloudwerk/durable-object'\nexport default defineDurableObject({ init: () => ({ n: 0 }), methods: { async ping() { return 1 } } })\n`,
    )
  const build = () => cloudwerk(dir, ['build', '--no-types'])

  beforeAll(() => {
    writeApps(dir, [])
    mkdirSync(join(dir, 'app/objects'), { recursive: true })
  })

  test('add, refuse a removal, rename, delete: the history the page shows', async () => {
    object('chat-room')
    expect((await build()).code).toBe(0)
    object('presence')
    expect((await build()).code).toBe(0)

    unlinkSync(join(dir, 'app/objects/chat-room.ts'))
    const refused = await build()
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toBe(checkedBlock(blocks, 'removed-object-error').code.trim())

    object('room')
    const renamed = await cloudwerk(dir, ['objects', 'rename', 'ChatRoom', 'Room'])
    expect(renamed.code, output(renamed)).toBe(0)
    expect((await build()).code).toBe(0)

    const early = await cloudwerk(dir, ['objects', 'delete', 'Presence'])
    expect(early.code).toBe(1)
    expect(early.stderr).toContain('app/objects/presence.ts still exists')
    unlinkSync(join(dir, 'app/objects/presence.ts'))
    expect((await cloudwerk(dir, ['objects', 'delete', 'Presence'])).code).toBe(0)
    expect((await build()).code).toBe(0)

    const written = parse(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8'))
    const shown = parse(checkedBlock(blocks, 'migrations-history').code)
    expect({ migrations: written.migrations, durable_objects: written.durable_objects }).toEqual(shown)

    const listed = await cloudwerk(dir, ['objects', 'migrations'])
    expect(listed.stdout.trim().split('\n')).toHaveLength(4)
  }, 60_000)
})

describe('deploying.md: environments and a second Worker', () => {
  const backend = join(root, 'backend')
  const front = join(root, 'front')
  const shown = (file: string) => files.find((f) => f.file === file)!.code
  const dryRun = (cwd: string, ...args: string[]) =>
    cloudwerk(cwd, ['deploy', '--dry-run', '--outdir', join(cwd, '.wrangler/dry-run'), ...args], { CLOUDWERK_NODE: NODE22 })

  test('wrangler accepts both Workers and the staging environment; the build keeps both configs as shown', async () => {
    // The root `node` devDependency installs Node 22 for wrangler; without it this check cannot run.
    expect(NODE22, 'a Node 22 binary (npm install installs one at node_modules/.bin/node)').toBeDefined()
    // The two backend runs build into the same dist/, so one after the other.
    const backendRuns = dryRun(backend).then(async (first) => [first, await dryRun(backend, '--env', 'staging')])
    const [[back, staging], frontRun] = await Promise.all([backendRuns, dryRun(front)])
    for (const result of [back, staging, frontRun]) expect(result.code, output(result)).toBe(0)
    expect(back.stdout).toMatch(/env\.HIT_COUNTER \(HitCounter\)\s+Durable Object/)
    expect(staging.stdout).toMatch(/env\.HIT_COUNTER \(HitCounter\)\s+Durable Object/)
    expect(output(staging)).not.toContain('is not inherited')
    expect(frontRun.stdout).toMatch(/env\.HIT_COUNTER \(HitCounter, defined in shop-backend\)\s+Durable Object/)
    // The configs are what Cloudwerk keeps: building changed nothing in them.
    expect(readFileSync(join(backend, 'wrangler.jsonc'), 'utf8')).toBe(shown('backend/wrangler.jsonc'))
    expect(readFileSync(join(front, 'wrangler.jsonc'), 'utf8')).toBe(shown('front/wrangler.jsonc'))
  }, 120_000)

  test("the front app type-checks against the backend's object file, and a method the backend lacks fails", async () => {
    expect(readFileSync(generatedPath(front, 'types'), 'utf8')).toContain('typed from ../backend/app/objects/hit-counter.ts')
    const types = await writeAppTypes(front)
    expect(types.code, output(types)).toBe(0)
    const result = await run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], { cwd: front })
    expect(result.code, output(result)).toBe(0)
    const wrong = join(front, 'app/reset.ts')
    writeFileSync(
      wrong,
      "import { durableObjects } from '@cloudwerk/core/bindings'\nexport const reset = () => durableObjects.HitCounter.getByName('home').reset()\n",
    )
    try {
      const failed = await run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], { cwd: front })
      expect(failed.code).not.toBe(0)
      expect(failed.stdout).toContain(checkedBlock(blocks, 'front-missing-method').code.trim())
    } finally {
      unlinkSync(wrong)
    }
  }, 60_000)

  test("in dev, the front reaches the backend's objects through the dev registry", async () => {
    const registry = mkdtempSync(join(tmpdir(), 'cloudwerk-docs-registry-'))
    const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }
    const [back, frontDev] = await Promise.all([startDev(backend, [], env), startDev(front, [], env)])
    try {
      expect(frontDev.output()).toContain('HIT_COUNTER (HitCounter of the Worker "shop-backend") is served by another Worker.')
      const hit = async () => (await fetch(`${frontDev.url}/api/pages/home`, { method: 'POST' })).json()
      // The front learns of the backend when the registry folder changes.
      let first = await hit()
      for (let i = 0; i < 100 && first.hits === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        first = await hit()
      }
      expect(first).toEqual({ hits: 1 })
      expect(await hit()).toEqual({ hits: 2 })
    } finally {
      await Promise.all([back.stop(), frontDev.stop()])
      rmSync(registry, { recursive: true, force: true })
    }
  }, 120_000)

  test('in dev, one command runs both: cloudwerk dev ../backend . in the front', async () => {
    const registry = mkdtempSync(join(tmpdir(), 'cloudwerk-docs-registry-'))
    const both = await startDev(front, ['../backend', '.'], { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry })
    try {
      expect(both.output()).toMatch(/backend on http:\/\/127\.0\.0\.1:\d+/)
      const hit = async () => (await fetch(`${both.url}/api/pages/home`, { method: 'POST' })).json()
      // The same storage as the two-terminal run above: the count goes on.
      const first = await hit()
      expect(await hit()).toEqual({ hits: first.hits + 1 })
      expect(first.hits).toBeGreaterThan(0)
    } finally {
      await both.stop()
      rmSync(registry, { recursive: true, force: true })
    }
  }, 120_000)

  test('on Node.js older than 22, deploy stops and names CLOUDWERK_NODE', async () => {
    // A stand-in for Node 20 that answers the version question as node -p would, so the case
    // runs whatever Node runs the tests.
    const node20 = join(front, 'node20')
    writeFileSync(node20, '#!/bin/sh\necho 20.19.0\n')
    chmodSync(node20, 0o755)
    const result = await cloudwerk(front, ['deploy', '--dry-run'], { CLOUDWERK_NODE: node20 })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('needs Node.js 22 or newer')
    expect(result.stderr).toContain('CLOUDWERK_NODE')
  }, 60_000)
})

describe('cli.md', () => {
  const sections = [...page('cli.md').matchAll(/^## cloudwerk (\w+)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map(([, command, text]) => ({
    command,
    text,
  }))
  const helpOf = async (command: string) =>
    ((await import(join(REPO, 'packages/cli/src/commands', `${command}.ts`))) as { help: string }).help

  test('documents every command the CLI has', async () => {
    const help = (await cloudwerk(main, ['--help'])).stdout
    const commands = [...help.matchAll(/^ {2}(\w+)\s/gm)].map(([, name]) => name)
    expect(commands.length).toBeGreaterThan(0)
    expect(sections.map((s) => s.command).sort()).toEqual(commands.sort())
  })

  test('every flag it documents is one the command knows', async () => {
    for (const { command, text } of sections) {
      const help = await helpOf(command)
      for (const [flag] of text.matchAll(/--[a-z][a-z-]*/g)) expect(help, `cloudwerk ${command} ${flag}`).toContain(flag)
    }
  })
})
