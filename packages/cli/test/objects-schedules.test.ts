// `cloudwerk objects schedules <Class> <name>` reads an object's schedules and its last runs from
// the data `cloudwerk dev` stored, after dev has stopped.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLI, copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

let dir: string
let dev: DevProcess | undefined
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))

beforeAll(() => {
  dir = copyApp('schedules-app')
})
afterAll(async () => {
  if (dev && dev.child.exitCode === null) await dev.stop()
  removeApp(dir)
  rmSync(registry, { recursive: true, force: true })
})

function cloudwerk(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { status: result.status, out: result.stdout + result.stderr }
}

test('lists pending schedules and the last runs, ok or with their error', { timeout: 120_000 }, async () => {
  dev = await startDev(dir, [], { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry })
  await fetch(`${dev.url}/api/batch/b1`, {
    method: 'POST',
    body: JSON.stringify({ count: 3, firstInMs: 50, spacingMs: 20, failing: ['job-1'] }),
  })
  const deadline = Date.now() + 15_000
  for (;;) {
    const report = (await (await fetch(`${dev.url}/api/batch/b1`)).json()) as { done: string[]; attempts: Record<string, number> }
    if (report.done.length === 2 && report.attempts['job-1'] >= 1) break
    if (Date.now() > deadline) throw new Error(`the runs did not happen: ${JSON.stringify(report)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await dev.stop()

  const { status, out } = cloudwerk(['objects', 'schedules', 'Batch', 'b1'])
  if (status !== 0) throw new Error(out)
  expect(out).toContain('Batch "b1": 2 pending')
  expect(out).toMatch(/heartbeat\s+beat\(\)\s+\d{4}-\d\d-\d\dT\d\d:00:00\.000Z\s+pending\s+every 1 hour/)
  expect(out).toMatch(/job-1\s+work\(\)\s+\S+\s+retrying \(1 failed\)\s+once/)
  expect(out).toMatch(/job-0\s+work\(\)\s+-\s+done/)
  expect(out).toMatch(/job-1\s+\S+\s+failed \(attempt 1\): Error: job-1 cannot be done/)
  expect(out).toMatch(/job-2\s+\S+\s+ok/)
})

test('an object dev never stored, and a class that does not exist, are said so', () => {
  expect(cloudwerk(['objects', 'schedules', 'Batch', 'nobody']).out).toContain('No Batch named "nobody" in the local dev data')
  const wrong = cloudwerk(['objects', 'schedules', 'Bach', 'b1'])
  expect(wrong.status).toBe(1)
  expect(wrong.out).toContain('no object named Bach. Did you mean Batch?')
  expect(cloudwerk(['objects', 'schedules', 'Batch']).out).toContain('Usage: cloudwerk objects schedules <Class> <name>')
})
