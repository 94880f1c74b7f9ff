// Two Workers in dev, as in a backend + app split: the backend (a Cloudwerk app) owns the Counter
// objects; the frontend binds them with script_name and the backend itself with a service
// binding. Each runs its own `cloudwerk dev` (or `wrangler dev`), and they find each other through
// the local dev registry, as on Cloudflare they find each other by name.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { findFreePort } from '../../../test/e2e/support/registry.js'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
// Both variables: cloudwerk dev and wrangler dev read the first, Miniflare the second.
const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }
const dirs: Record<string, string> = {}
const running: DevProcess[] = []
beforeAll(() => {
  for (const name of ['registry-backend', 'registry-frontend', 'registry-wrangler']) dirs[name] = copyApp(name)
})
afterAll(async () => {
  for (const dev of running) if (dev.child.exitCode === null) await dev.stop()
  for (const dir of Object.values(dirs)) removeApp(dir)
  rmSync(registry, { recursive: true, force: true })
})

const post = async (url: string) => {
  const response = await fetch(url, { method: 'POST' })
  return { status: response.status, body: await response.json() }
}

// The frontend learns of the backend when the registry folder changes, and wrangler dev answers
// once it has started: poll until then (on a busy machine, many seconds).
async function eventually<T>(attempt: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const last = await attempt()
    if (ok(last) || Date.now() > deadline) return last
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

let frontend: DevProcess
let backend: DevProcess

test('a binding to a Worker that is not running says so, in the start note and in the error', { timeout: 120_000 }, async () => {
  frontend = await startDev(dirs['registry-frontend'], [], env)
  running.push(frontend)
  expect(frontend.output()).toContain(
    'note: BACKEND_COUNTER (Counter of the Worker "cw-backend") and BACKEND (the Worker "cw-backend") are served by another Worker.',
  )
  const { status, body } = await post(`${frontend.url}/api/remote/a`)
  expect(status).toBe(500)
  expect(body.error).toBe('Worker "cw-backend" not found. Make sure it is running locally.')
})

test(
  'once the backend runs, the frontend reaches the same objects by RPC, and its routes by service binding',
  { timeout: 120_000 },
  async () => {
    backend = await startDev(dirs['registry-backend'], [], env)
    running.push(backend)
    expect(await post(`${backend.url}/api/counter/a`)).toEqual({ status: 200, body: { value: 1, from: 'cw-backend' } })
    // Same name, same object: the count goes on from the backend's own call.
    const remote = await eventually(
      () => post(`${frontend.url}/api/remote/a`),
      (r) => r.status === 200,
    )
    expect(remote).toEqual({ status: 200, body: { value: 2 } })
    expect(await post(`${frontend.url}/api/service`)).toEqual({ status: 200, body: { value: 3, from: 'cw-backend' } })
  },
)

test("a Worker in wrangler dev reaches the Cloudwerk backend's objects too", { timeout: 120_000 }, async () => {
  const port = await findFreePort()
  const child = spawn(
    join(repo, 'node_modules', '.bin', 'node'),
    [
      join(repo, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: dirs['registry-wrangler'],
      env: { ...process.env, ...env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      stdio: 'ignore',
      detached: true,
    },
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    const answer = await eventually(
      () => post(`http://127.0.0.1:${port}/a`).catch(() => ({ status: 0, body: null })),
      (r) => r.status === 200,
    )
    expect(answer).toEqual({ status: 200, body: { value: 4 } })
  } finally {
    // Gone (with its workerd) before afterAll removes the folders it writes to.
    process.kill(-child.pid!, 'SIGINT')
    await exited
  }
})
