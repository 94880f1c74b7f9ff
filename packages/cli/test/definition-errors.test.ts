// A malformed object definition is the user's to fix: `cloudwerk dev` stops at start with the
// file, what is wrong and the fix (exit 1, not "Internal error"), before wrangler.jsonc changes.
// `cloudwerk build` is covered with the other broken projects in test/reliability/build-errors.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CLI, copyApp, removeApp } from './support/dev-process.js'

const dir = copyApp('dev-app')
afterAll(() => removeApp(dir))

test('cloudwerk dev with `method:` for `methods:` exits 1 naming the file and the fix', () => {
  const file = join(dir, 'app/objects/counter.ts')
  writeFileSync(file, readFileSync(file, 'utf8').replace('methods:', 'method:'))
  const config = readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')
  const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
  const result = spawnSync(process.execPath, [CLI, 'dev', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry },
    encoding: 'utf8',
    timeout: 60_000,
  })
  const output = result.stdout + result.stderr
  expect(result.status).toBe(1)
  expect(output).toMatch(/Error: app\/objects\/counter\.ts: defineDurableObject: unknown option `method`\. Fix: did you mean `methods`\?/)
  expect(output).not.toMatch(/Internal error|workerd|\n\s+at /)
  expect(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).toBe(config)
}, 90_000)
