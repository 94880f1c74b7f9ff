// Scheduled runs under SIGKILL of the real `cloudwerk dev` (and its workerd). A batch of runs,
// due 20 ms apart, is killed in mid-sweep: each run commits (its state change and
// its completion in one transaction) and then resets the alarm, so the kill lands among commits,
// alarm resets and runs in flight. After the restart every run is done (none lost) and none
// that committed ran again: the only repeat allowed is the one run that was in flight.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyApp, removeApp, startDev, type DevProcess } from '../../packages/cli/test/support/dev-process'
import { workerdChildren } from './support/app.mjs'

let dir: string
let dev: DevProcess
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }

beforeAll(async () => {
  dir = copyApp('schedules-app')
  dev = await startDev(dir, [], env)
}, 120_000)
afterAll(async () => {
  if (dev?.child.exitCode === null) await dev.stop()
  removeApp(dir)
  rmSync(registry, { recursive: true, force: true })
})

type Report = { done: string[]; attempts: Record<string, number> }
const report = async (): Promise<Report> => (await fetch(`${dev.url}/api/batch/b`)).json()

async function waitFor(done: (value: Report) => boolean, timeoutMs = 30_000): Promise<Report> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await report()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting; last report ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test(
  'SIGKILL in the middle of a sweep: after the restart no run is lost and none that committed is repeated',
  { timeout: 120_000 },
  async () => {
    const count = 150
    // Due over 3 s: the kill after the 30th run lands mid-sweep even when reports come slowly.
    const planned = await fetch(`${dev.url}/api/batch/b`, {
      method: 'POST',
      body: JSON.stringify({ count, firstInMs: 200, spacingMs: 20 }),
    })
    expect(await planned.json()).toEqual({ planned: count })
    const before = await waitFor((value) => value.done.length >= 30)
    expect(before.done.length).toBeLessThan(count) // killed in mid-sweep
    const [workerd] = workerdChildren(dev.child.pid)
    process.kill(workerd, 'SIGKILL')
    dev.child.kill('SIGKILL')

    dev = await startDev(dir, [], env)
    const after = await waitFor((value) => value.done.length >= count)
    const jobs = Array.from({ length: count }, (_, index) => `job-${index}`)
    // Every run done exactly once, in time order: a repeat of a committed run would show twice.
    expect(after.done).toEqual(jobs)
    expect(Object.keys(after.attempts).sort()).toEqual([...jobs].sort())
    const repeats = Object.values(after.attempts).reduce((sum, n) => sum + n - 1, 0)
    expect(repeats).toBeLessThanOrEqual(1)
  },
)
