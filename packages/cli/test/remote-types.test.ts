// A front Worker binds a backend Cloudwerk app's object with script_name and names where that app
// lives (package.json "cloudwerk.workers"): `cloudwerk types` types durableObjects.HitCounter from
// the backend's own object file, so a method the backend does not have fails tsc in the front.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { scanApp } from '../src/pipeline/scan.js'
import { writeTypes } from '../src/pipeline/write-types.js'
import { CLI } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
// Both apps side by side, as the front's package.json expects ("../split-backend").
const parent = mkdtempSync(join(tmpdir(), 'cw-split-'))
for (const name of ['split-backend', 'split-front']) {
  cpSync(join(import.meta.dirname, 'apps', name), join(parent, name), { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(parent, name, 'node_modules'))
}
const front = join(parent, 'split-front')
const backendObject = join(parent, 'split-backend', 'app', 'objects', 'hit-counter.ts')
afterAll(() => rmSync(parent, { recursive: true, force: true }))

const typecheck = () => spawnSync(process.execPath, [tsc, '-p', join(front, 'tsconfig.json')], { encoding: 'utf8' })

test("the front calls the backend's object with its own method types, both ways", { timeout: 60_000 }, async () => {
  const { file } = await writeTypes(scanApp(front))
  const types = readFileSync(file, 'utf8')
  expect(types).toContain(
    '/** HitCounter of the Worker "shop-backend" (binding HIT_COUNTER), typed from ../split-backend/app/objects/hit-counter.ts */',
  )
  expect(types).toContain('"hit"(by?: number): Promise<number>')
  expect(types).toContain('"tally"(page: string): Promise<import("../../split-backend/app/objects/hit-counter").Tally>')
  const result = typecheck()
  expect(result.stdout + result.stderr).toBe('')
  expect(result.status).toBe(0)
})

test('both Workers build, and wrangler deploy --dry-run accepts each', { timeout: 120_000 }, () => {
  for (const [app, bindings] of [
    ['split-backend', /env\.HIT_COUNTER \(HitCounter\)/],
    ['split-front', /env\.HIT_COUNTER \(HitCounter, defined in shop-backend\)/],
  ] as const) {
    const result = spawnSync(process.execPath, [CLI, 'deploy', '--dry-run', '--outdir', join(parent, app, 'out')], {
      cwd: join(parent, app),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CLOUDWERK_NODE: join(repo, 'node_modules', '.bin', 'node'), WRANGLER_SEND_METRICS: 'false' },
    })
    expect(result.stdout + result.stderr).toMatch(bindings)
    expect(result.stdout).toContain('--dry-run: exiting now.')
    expect(result.status).toBe(0)
  }
})

test("a method the backend removed fails the front's typecheck", { timeout: 60_000 }, async () => {
  writeFileSync(backendObject, readFileSync(backendObject, 'utf8').replace(/async count\(\) \{[^}]*\},/, ''))
  // The backend's object file is an input of the front's types: they are written again.
  expect((await writeTypes(scanApp(front))).cached).toBe(false)
  const result = typecheck()
  expect(result.status).not.toBe(0)
  expect(result.stdout).toMatch(/route\.ts\(\d+,\d+\): error TS2339: Property 'count' does not exist/)
})

test('a class the backend does not have is a build error naming the binding and the fix', async () => {
  const config = join(front, 'wrangler.jsonc')
  writeFileSync(config, readFileSync(config, 'utf8').replace('"class_name": "HitCounter"', '"class_name": "PageViews"'))
  await expect(writeTypes(scanApp(front))).rejects.toThrow(
    'wrangler config: the binding HIT_COUNTER calls the class PageViews of the Worker "shop-backend", but ../split-backend/app/objects has no object file for it. Fix class_name, or add the object to that app.',
  )
})
