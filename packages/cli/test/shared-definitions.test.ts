// An object file's default export may be a definition made elsewhere: re-exported from a package
// (`export { default } from '@acme/rate-limiter'`), made by a package's factory, or imported from
// another module of the app. examples/shared-objects has all three; here it goes through dev and
// wrangler's dry run. Its own test runs it in workerd; its typecheck (route.ts) proves the types.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { checkDefinitions } from '../src/pipeline/check-definitions.js'
import { scanApp } from '../src/pipeline/scan.js'
import { writeTypes } from '../src/pipeline/write-types.js'
import { CLI, startDev } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'cw-shared-objects-'))
cpSync(join(repo, 'examples', 'shared-objects'), dir, {
  recursive: true,
  filter: (path) => !/\/(node_modules|\.cloudwerk|dist)$/.test(path),
})
symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(registry, { recursive: true, force: true })
})

test(
  'the stubs are typed from those definitions: tsc passes the calls, and the @ts-expect-error lines err',
  { timeout: 60_000 },
  async () => {
    const types = readFileSync((await writeTypes(scanApp(dir))).file, 'utf8')
    expect(types).toMatch(/RateLimiter: \{\n\s+"take"\(\): Promise<import\("[^"]*\/rate-limiter-package\/src\/index"\)\.Verdict>/)
    expect(types).toMatch(/PageViews: \{\n\s+"view"\(\): Promise<number>/)
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  },
)

test('an edit to the module a definition comes from is seen by the next types run', { timeout: 60_000 }, async () => {
  expect((await writeTypes(scanApp(dir))).cached).toBe(true)
  const lib = join(dir, 'lib/page-views.ts')
  writeFileSync(lib, readFileSync(lib, 'utf8').replace('methods: {', 'methods: {\n    async clear() {\n      this.state.views = 0\n    },'))
  const { file, cached } = await writeTypes(scanApp(dir))
  expect(cached).toBe(false)
  expect(readFileSync(file, 'utf8')).toMatch(/PageViews: \{\n\s+"clear"\(\): Promise<void>/)
})

test('cloudwerk dev serves objects defined in a package, by its factory and in lib/', { timeout: 120_000 }, async () => {
  const dev = await startDev(dir, [], { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry })
  try {
    const response = await fetch(`${dev.url}/api/limit/a`, { method: 'POST' })
    expect(await response.json()).toEqual({ allowed: true, remaining: 2, defaultRemaining: 9, views: 1 })
  } finally {
    await dev.stop()
  }
})

test('wrangler deploy --dry-run accepts the three classes', { timeout: 120_000 }, () => {
  const result = spawnSync(process.execPath, [CLI, 'deploy', '--dry-run', '--outdir', join(dir, 'out')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CLOUDWERK_NODE: join(repo, 'node_modules', '.bin', 'node'), WRANGLER_SEND_METRICS: 'false' },
  })
  for (const binding of ['env.RATE_LIMITER (RateLimiter)', 'env.DEFAULT_LIMITER (DefaultLimiter)', 'env.PAGE_VIEWS (PageViews)'])
    expect(result.stdout).toContain(binding)
  expect(result.stdout).toContain('--dry-run: exiting now.')
  expect(result.status).toBe(0)
})

// The build decides from the loaded value: what is not a definition still fails, however exported.
test.each([
  [
    'a re-export of a value that is not a definition',
    "export { notADefinition as default } from '../../lib/values'\n",
    /app\/objects\/odd\.ts: the default export is not a defineDurableObject\(\.\.\.\) result[\s\S]*export default defineDurableObject/,
  ],
  [
    'an object literal shaped like one',
    'export default { methods: {} }\n',
    /app\/objects\/odd\.ts: the default export is not a defineDurableObject\(\.\.\.\) result/,
  ],
  ['no default export', 'export const x = 1\n', /app\/objects\/odd\.ts has no default export[\s\S]*export default defineDurableObject/],
])('%s is refused with the file and the fix', async (_case, source, message) => {
  writeFileSync(join(dir, 'lib/values.ts'), 'export const notADefinition = { methods: { take() {} } }\n')
  writeFileSync(join(dir, 'app/objects/odd.ts'), source)
  try {
    await expect(checkDefinitions(scanApp(dir))).rejects.toThrow(message)
  } finally {
    rmSync(join(dir, 'app/objects/odd.ts'))
  }
})
