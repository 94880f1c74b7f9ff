import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CLI, copyApp, removeApp } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
let dir: string
beforeAll(() => {
  dir = copyApp('dev-app')
})
afterAll(() => removeApp(dir))

function cloudwerk(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } })
  return { status: result.status, out: result.stdout + result.stderr }
}

describe('every command has --help', () => {
  test.each(['create', 'dev', 'build', 'deploy', 'types', 'routes', 'objects'])('%s', (command) => {
    const { status, out } = cloudwerk([command, '--help'])
    expect(status).toBe(0)
    expect(out).toMatch(new RegExp(`^Usage: cloudwerk ${command}`))
  })
})

test('an unknown command fails with a suggestion', () => {
  const { status, out } = cloudwerk(['biuld'])
  expect(status).toBe(1)
  expect(out).toContain('unknown command "biuld". Did you mean `cloudwerk build`?')
})

test('an unknown flag fails with a suggestion', () => {
  const { status, out } = cloudwerk(['dev', '--prot', '8787'])
  expect(status).toBe(1)
  expect(out).toMatch(/Unknown option '--prot'.*Did you mean --port\?/)
})

test('build prints routes, objects, bundle size and time; routes and objects list them', { timeout: 120_000 }, () => {
  const build = cloudwerk(['build'])
  expect(build.status).toBe(0)
  expect(build.out).toMatch(/\/api\/counter\/:id\s+POST\s+app\/api\/counter\/\[id\]\/route\.ts/)
  expect(build.out).toMatch(/Counter\s+COUNTER\s+app\/objects\/counter\.ts/)
  expect(build.out).toMatch(/Built dist\/index\.js\s+[\d.]+ KB \(gzip [\d.]+ KB\)\s+in \d+ ms/)
  expect(cloudwerk(['routes']).out).toMatch(/\/api\/env\s+GET\s+app\/api\/env\/route\.ts/)
  expect(cloudwerk(['objects', 'list']).out).toMatch(/Counter\s+COUNTER\s+app\/objects\/counter\.ts/)
  const info = cloudwerk(['objects', 'info', 'Counter'])
  expect(info.out).toContain('"increment"(amount?: number): Promise<number>')
  expect(cloudwerk(['objects', 'info', 'Countr']).out).toContain('Did you mean Counter?')
  expect(cloudwerk(['objects', 'migrations']).out).toMatch(/v1\s+\{"new_sqlite_classes":\["Counter"\]\}/)
})

test('deploy builds and hands over to wrangler (dry run, Node 22 from the npm node package)', { timeout: 120_000 }, () => {
  const out = join(dir, 'wrangler-out')
  const node22 = join(repo, 'node_modules', '.bin', 'node')
  const result = cloudwerk(['deploy', '--dry-run', '--outdir', out], { CLOUDWERK_NODE: node22, WRANGLER_SEND_METRICS: 'false' })
  expect(result.out).toContain('--dry-run: exiting now.')
  expect(result.out).toMatch(/env\.COUNTER \(Counter\)\s+Durable Object/)
  expect(result.status).toBe(0)
  expect(readFileSync(join(out, 'index.js'), 'utf8')).toContain('Counter')
})

test('deploy on an old Node says what to do', () => {
  // A stand-in for Node 20: it answers the version question the way node -p would.
  const oldNode = join(dir, 'node20')
  writeFileSync(oldNode, '#!/bin/sh\necho 20.19.0\n')
  chmodSync(oldNode, 0o755)
  const result = cloudwerk(['deploy', '--dry-run'], { CLOUDWERK_NODE: oldNode })
  expect(result.status).toBe(1)
  expect(result.out).toContain('wrangler deploy needs Node.js 22 or newer')
})

test('dev on an app that does not build stops with the file, line and column, and leaves wrangler.jsonc alone', { timeout: 60_000 }, () => {
  const route = join(dir, 'app/api/counter/[id]/route.ts')
  const good = readFileSync(route, 'utf8')
  const config = readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')
  writeFileSync(route, good.replace('return json(', 'return json(('))
  try {
    const result = cloudwerk(['dev', '--port', '0'])
    expect(result.status).toBe(1)
    expect(result.out).toMatch(/^Error: Build failed:\napp\/api\/counter\/\[id\]\/route\.ts:\d+:\d+: Expected "\)"/m)
    expect(result.out).not.toContain('Internal error')
    expect(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).toBe(config)
  } finally {
    writeFileSync(route, good)
  }
})

test('objects delete and rename guard the data', () => {
  expect(cloudwerk(['objects', 'delete', 'Counter']).out).toContain('app/objects/counter.ts still exists')
  unlinkSync(join(dir, 'app/objects/counter.ts'))
  const build = cloudwerk(['build'])
  expect(build.status).toBe(1)
  expect(build.out).toContain('Deploying without it would delete every Counter object and all of its data')
  const del = cloudwerk(['objects', 'delete', 'Counter'])
  expect(del.status).toBe(0)
  expect(readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')).toContain('"deleted_classes": [\n        "Counter"')
})
