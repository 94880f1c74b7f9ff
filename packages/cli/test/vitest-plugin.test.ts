// The basic template tested in workerd with `@cloudwerk/cli/vitest` (vitest-pool-workers): a
// route, an object, readState, eviction and an alarm, run by Vitest in the app's own folder.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const repo = join(import.meta.dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'cw-pool-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the template passes its pool-workers tests', { timeout: 180_000 }, () => {
  cpSync(join(repo, 'templates', 'basic'), dir, { recursive: true, filter: (src) => !src.includes(join('basic', 'test')) })
  cpSync(join(import.meta.dirname, 'apps', 'pool-app'), dir, { recursive: true })
  cpSync(join(import.meta.dirname, 'apps', 'testing-app', 'app', 'objects', 'reminder.ts'), join(dir, 'app', 'objects', 'reminder.ts'))
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } })
  const out = run.stdout + run.stderr
  expect(out).toMatch(/Tests\s+4 passed \(4\)/)
  expect(run.status, out).toBe(0)
})
