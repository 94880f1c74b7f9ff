// Local data in `cloudwerk dev`: D1 and R2, declared in wrangler.jsonc as for deploy, keep their
// data in .wrangler/state across a restart (KV, vars and secrets are in dev.test.ts), and objects
// stored before dev named the Worker after wrangler.jsonc stay reachable.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { copyApp, removeApp, startDev as startDevProcess, type DevProcess } from './support/dev-process.js'

const dirs: string[] = []
// Every dev started here, stopped at the end: a test that leaves its dev running (as the first two
// do) must not leave it behind the run.
const started: DevProcess[] = []
let dev: DevProcess | undefined
afterAll(async () => {
  for (const running of started) if (running.child.exitCode === null) await running.stop()
  for (const dir of dirs) removeApp(dir)
})

async function startDev(dir: string): Promise<DevProcess> {
  const running = await startDevProcess(dir)
  started.push(running)
  return running
}

async function start(app: string): Promise<string> {
  const dir = copyApp(app)
  dirs.push(dir)
  dev = await startDev(dir)
  return dir
}

async function restart(dir: string): Promise<void> {
  await dev!.stop()
  dev = await startDev(dir)
}

const post = async (path: string, body?: string) => (await fetch(`${dev!.url}${path}`, { method: 'POST', body })).json()

test('D1 and R2 bindings serve, and their data survives a restart', { timeout: 120_000 }, async () => {
  const dir = await start('bindings-app')
  expect(await post('/api/notes', 'first')).toEqual({ rows: 1, files: 1, last: 'first' })
  expect(await post('/api/notes', 'second')).toEqual({ rows: 2, files: 2, last: 'second' })
  await restart(dir)
  expect(await post('/api/notes', 'third')).toEqual({ rows: 3, files: 3, last: 'third' })
})

test(
  'objects stored under the name dev used to give every Worker are still there once the Worker has its own',
  { timeout: 120_000 },
  async () => {
    // A config without a name: dev names the Worker "cloudwerk-app", as it once did for all apps.
    const config = (dir: string) => join(dir, 'wrangler.jsonc')
    const dir = copyApp('dev-app')
    dirs.push(dir)
    const named = readFileSync(config(dir), 'utf8')
    writeFileSync(config(dir), named.replace('"name": "dev-app",', ''))
    dev = await startDev(dir)
    expect(await post('/api/counter/kept')).toMatchObject({ value: 1 })
    await dev.stop()
    writeFileSync(config(dir), named)
    dev = await startDev(dir)
    expect(await post('/api/counter/kept')).toMatchObject({ value: 2 })
  },
)

test("after the Worker is renamed, dev says where the old objects' data is, and starts them empty", { timeout: 120_000 }, async () => {
  const dir = await start('dev-app')
  expect(await post('/api/counter/x')).toMatchObject({ value: 1 })
  await dev!.stop()
  const config = join(dir, 'wrangler.jsonc')
  writeFileSync(config, readFileSync(config, 'utf8').replace('"name": "dev-app"', '"name": "renamed-app"'))
  dev = await startDev(dir)
  expect(dev.output()).toContain(
    'note: local Counter objects are stored under the Worker name "dev-app" (.wrangler/state/v3/do/), but this Worker runs as "renamed-app"',
  )
  expect(await post('/api/counter/x')).toMatchObject({ value: 1 })
})
