// Apps that declare their Durable Objects in wrangler's `exports` map instead of `migrations`.
import { spawnSync } from 'node:child_process'
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CLI, copyApp, removeApp } from './support/dev-process.js'

const live = { type: 'durable-object', storage: 'sqlite' }

describe('an exports-style app through build, rename, delete and wrangler deploy --dry-run', () => {
  const repo = join(import.meta.dirname, '..', '..', '..')
  let dir: string
  beforeAll(() => {
    dir = copyApp('dev-app')
    writeFileSync(
      join(dir, 'wrangler.jsonc'),
      `{
  // objects declared with exports (wrangler 4.107+)
  "name": "exports-app",
  "main": "dist/index.js",
  "compatibility_date": "2026-07-01",
  "exports": {
    "Api": { "type": "worker" } // the user's own entry
  }
}
`,
    )
  })
  afterAll(() => removeApp(dir))
  const cloudwerk = (args: string[]) => {
    const env = {
      ...process.env,
      NO_COLOR: '1',
      CLOUDWERK_NODE: join(repo, 'node_modules', '.bin', 'node'),
      WRANGLER_SEND_METRICS: 'false',
    }
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env })
    return { status: result.status, out: result.stdout + result.stderr }
  }
  const config = () => parse(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8'))
  const deployDryRun = () => {
    const run = cloudwerk(['deploy', '--dry-run', '--outdir', join(dir, 'wrangler-out')])
    expect(run.out).not.toMatch(/mutually exclusive|no live `exports` entry/)
    expect(run.out).toContain('--dry-run: exiting now.')
    expect(run.status).toBe(0)
    return run.out
  }

  test('build adds the object to exports, never migrations, and wrangler accepts it', { timeout: 120_000 }, () => {
    expect(cloudwerk(['build']).status).toBe(0)
    expect(config().exports).toEqual({ Api: { type: 'worker' }, Counter: live })
    expect(config().migrations).toBeUndefined()
    expect(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).toContain("// the user's own entry")
    expect(deployDryRun()).toMatch(/env\.COUNTER \(Counter\)\s+Durable Object/)
  })

  test('a rename writes the tombstone and the new live entry', { timeout: 120_000 }, () => {
    renameSync(join(dir, 'app/objects/counter.ts'), join(dir, 'app/objects/tally.ts'))
    const route = join(dir, 'app/api/counter/[id]/route.ts')
    writeFileSync(route, readFileSync(route, 'utf8').replace('durableObjects.Counter', 'durableObjects.Tally'))
    const build = cloudwerk(['build'])
    expect(build.status).toBe(1)
    expect(build.out).toContain('wrangler.jsonc says it exists ("exports.Counter")')
    expect(build.out).toContain('cloudwerk objects rename Counter Tally')
    expect(cloudwerk(['objects', 'rename', 'Counter', 'Tally']).status).toBe(0)
    expect(config().exports).toEqual({
      Api: { type: 'worker' },
      Counter: { type: 'durable-object', state: 'renamed', renamed_to: 'Tally' },
      Tally: live,
    })
    expect(config().durable_objects.bindings).toEqual([{ name: 'TALLY', class_name: 'Tally' }])
    expect(cloudwerk(['build']).status).toBe(0)
    expect(cloudwerk(['objects', 'rename', 'Tally', 'Counter']).out).toContain('Counter already exists')
    expect(deployDryRun()).toMatch(/env\.TALLY \(Tally\)\s+Durable Object/)
  })

  test('a delete writes the tombstone; the name cannot come back', { timeout: 120_000 }, () => {
    unlinkSync(join(dir, 'app/objects/tally.ts'))
    unlinkSync(join(dir, 'app/api/counter/[id]/route.ts'))
    expect(cloudwerk(['objects', 'delete', 'Tally']).status).toBe(0)
    expect(config().exports.Tally).toEqual({ type: 'durable-object', state: 'deleted' })
    expect(config().durable_objects.bindings).toEqual([])
    expect(cloudwerk(['build']).status).toBe(0)
    expect(config().migrations).toBeUndefined()
    deployDryRun()
    writeFileSync(
      join(dir, 'app/objects/tally.ts'),
      "import { defineDurableObject } from '@cloudwerk/durable-object'\nexport default defineDurableObject({ methods: {} })\n",
    )
    const build = cloudwerk(['build'])
    expect(build.status).toBe(1)
    expect(build.out).toMatch(/exports\.Tally is "deleted".*give the object another name/)
  })
})
