import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { generatedPath } from '../src/pipeline/generated-paths.js'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

// One app and one dev process for the file; the tests run in order and build on each other.
// Most start or restart workerd, which takes many seconds on a busy machine (twice for a Worker
// workerd refuses, swapped back out): more than the suite's 30 s per test.
vi.setConfig({ testTimeout: 120_000 })
let dir: string
let dev: DevProcess
beforeAll(async () => {
  dir = copyApp('dev-app')
  dev = await startDev(dir)
}, 120_000)
afterAll(async () => {
  if (dev.child.exitCode === null) await dev.stop()
  removeApp(dir)
})

const post = async (path: string) => (await fetch(dev.url + path, { method: 'POST' })).json()
const route = () => join(dir, 'app/api/counter/[id]/route.ts')

test('serves routes, objects, static assets, vars, .dev.vars secrets and KV', async () => {
  expect(await post('/api/counter/a')).toEqual({ value: 1, version: 1 })
  expect(await (await fetch(dev.url + '/hello.txt')).text()).toBe('static hello\n')
  expect(await (await fetch(dev.url + '/api/env')).json()).toEqual({ GREETING: 'hello from vars', SECRET: 'from-dev-vars', visits: 1 })
})

test('logs one line per request and the console output of routes', async () => {
  const from = dev.output().length
  await post('/api/counter/a')
  await dev.waitFor(/counter a is now 2/, from)
  await dev.waitFor(/POST \/api\/counter\/a 200 \d+ms/, from)
})

test('a saved route is served after the rebuild, with state kept', async () => {
  const from = dev.output().length
  writeFileSync(route(), readFileSync(route(), 'utf8').replace('version: 1', 'version: 2'))
  await dev.waitFor(/Reloaded/, from)
  expect(await post('/api/counter/a')).toEqual({ value: 3, version: 2 })
})

test('a file added to public/ is served once workerd has re-read the folder', async () => {
  const from = dev.output().length
  writeFileSync(join(dir, 'public/added.txt'), 'added\n')
  await dev.waitFor(/Reloaded .*workerd restart/, from)
  expect(await (await fetch(dev.url + '/added.txt')).text()).toBe('added\n')
  expect(await post('/api/counter/a')).toEqual({ value: 4, version: 2 })
})

test('a changed .dev.vars secret is served after the reload', async () => {
  const from = dev.output().length
  writeFileSync(join(dir, '.dev.vars'), 'SECRET=changed-secret\n')
  await dev.waitFor(/Reloaded .*workerd restart/, from)
  expect(await (await fetch(dev.url + '/api/env')).json()).toMatchObject({ SECRET: 'changed-secret', visits: 2 })
})

test('a syntax error prints file, line and column and keeps the last build serving', async () => {
  const good = readFileSync(route(), 'utf8')
  const from = dev.output().length
  writeFileSync(route(), good.replace('return json(', 'return json(('))
  const message = await dev.waitFor(/Build failed[\s\S]*route\.ts:\d+:\d+: [^\n]+/, from)
  expect(message).toContain('app/api/counter/[id]/route.ts:')
  expect(await post('/api/counter/a')).toEqual({ value: 5, version: 2 })
  const fixed = dev.output().length
  writeFileSync(route(), good)
  await dev.waitFor(/Reloaded .*: fixed, your latest code is live/, fixed)
})

test('a Worker that workerd refuses to start is swapped back out, and the error says why', async () => {
  const counter = join(dir, 'app/objects/counter.ts')
  const good = readFileSync(counter, 'utf8')
  const from = dev.output().length
  // Passes the build's check, which loads the file in Node, and fails when workerd loads it (there
  // the copy lost the definition's mark).
  writeFileSync(
    counter,
    good.replace('export default defineDurableObject', 'let definition = defineDurableObject') +
      "\nif (navigator.userAgent === 'Cloudflare-Workers') definition = { ...definition }\nexport default definition\n",
  )
  await dev.waitFor(
    /still serving the last good build[\s\S]*app\/objects\/counter\.ts: the default export must be the result of defineDurableObject/,
    from,
  )
  expect(await post('/api/counter/a')).toEqual({ value: 6, version: 2 })
  const fixed = dev.output().length
  writeFileSync(counter, good)
  await dev.waitFor(/Reloaded/, fixed)
})

test('a new object file gets its class, binding and migration; a removed one stops with the data warning', async () => {
  const from = dev.output().length
  writeFileSync(join(dir, 'app/objects/tally.ts'), readFileSync(join(dir, 'app/objects/counter.ts')))
  await dev.waitFor(/Reloaded/, from)
  const config = readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')
  expect(config).toContain('"new_sqlite_classes": [\n        "Tally"')
  expect(config).toContain("// a user's config")

  const removed = dev.output().length
  unlinkSync(join(dir, 'app/objects/counter.ts'))
  await dev.waitFor(/Counter has no object file[\s\S]*cloudwerk objects delete Counter/, removed)
  expect(await post('/api/counter/a')).toEqual({ value: 7, version: 2 })
  writeFileSync(join(dir, 'app/objects/counter.ts'), readFileSync(join(dir, 'app/objects/tally.ts')))
  await dev.waitFor(/Reloaded/, removed)
})

test('Ctrl-C stops workerd and exits cleanly; a restart keeps the data', async () => {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(dev.child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('workerd'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
  expect(children.length).toBeGreaterThan(0)
  // 130 is the conventional status after Ctrl-C (Miniflare's exit hook ends the process).
  expect([0, 130]).toContain(await dev.stop())
  const isAlive = (pid: number) => {
    try {
      return process.kill(pid, 0)
    } catch {
      return false
    }
  }
  // The kill is sent on exit; give the kernel a moment to reap workerd.
  for (let i = 0; i < 50 && children.some(isAlive); i++) await new Promise((r) => setTimeout(r, 100))
  expect(children.filter(isAlive)).toEqual([])
  // Nothing was left running, so nothing is left for the next start to stop.
  expect(existsSync(join(dir, '.wrangler/state/cloudwerk-dev.json'))).toBe(false)
  dev = await startDev(dir)
  expect(await post('/api/counter/a')).toEqual({ value: 8, version: 2 })
  expect(await (await fetch(dev.url + '/api/env')).json()).toMatchObject({ visits: 3 })
})

test('a start after edits made while dev was stopped serves them from the first request', async () => {
  // The unchanged restart above started from the last build (.cloudwerk/dev/last-build.json).
  expect(existsSync(generatedPath(dir, 'devLastBuild'))).toBe(true)
  await dev.stop()
  writeFileSync(route(), readFileSync(route(), 'utf8').replace('version: 2', 'version: 3'))
  mkdirSync(join(dir, 'app/api/ping'), { recursive: true })
  writeFileSync(join(dir, 'app/api/ping/route.ts'), "export const GET = () => new Response('pong')\n")
  dev = await startDev(dir)
  expect(await post('/api/counter/a')).toEqual({ value: 9, version: 3 })
  expect(await (await fetch(dev.url + '/api/ping')).text()).toBe('pong')
})

test('a start from the last build is checked by a real build right after, which swaps in what the check missed', async () => {
  // An edit the start's check cannot see: same size, same modification time (a round one, which
  // utimes can set exactly).
  const then = new Date('2026-01-01T00:00:00Z')
  await dev.stop()
  utimesSync(route(), then, then)
  dev = await startDev(dir) // a full build, made from the route as it is now
  await dev.stop()
  writeFileSync(route(), readFileSync(route(), 'utf8').replace('version: 3', 'version: 4'))
  utimesSync(route(), then, then)
  dev = await startDev(dir)
  // Only a start from the last build has something to swap in here.
  await dev.waitFor(/Reloaded .*routes swapped in/)
  expect(await post('/api/counter/a')).toMatchObject({ version: 4 })
})
