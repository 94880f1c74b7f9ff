// The first five minutes of a user, end to end: `cloudwerk create --link` into a temp folder,
// a real `npm install` and the types written, build, type-check (both on the machine's Node 20),
// `wrangler deploy --dry-run` (Node 22 from the npm `node` package), then `cloudwerk dev`
// answering the app's routes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CLI, startDev } from '../../packages/cli/test/support/dev-process.js'
import { machineNode, machineNodeBin } from '../../packages/cli/test/support/machine-node.js'

const repo = join(import.meta.dirname, '..', '..')
const parent = mkdtempSync(join(tmpdir(), 'cw-e2e-'))
const app = join(parent, 'my-app')
afterAll(() => rmSync(parent, { recursive: true, force: true }))

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    cwd: existsSync(app) ? app : parent,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

test('create, install, build, type-check, dry-run deploy, dev', { timeout: 600_000 }, async () => {
  const created = run(machineNode, [CLI, 'create', 'my-app', '--template', 'basic', '--link'])
  expect(created.out).toContain('Created my-app from the basic template')
  expect(created.status).toBe(0)
  expect(existsSync(join(app, 'node_modules', '@cloudwerk', 'cli'))).toBe(true)
  // The editor has the Workers types and the typed namespace right away.
  expect(created.out).toContain(
    'Types for your editor are written: worker-configuration.d.ts (Workers runtime, env) and\n.cloudwerk/types.d.ts (your objects).',
  )
  expect(readFileSync(join(app, 'worker-configuration.d.ts'), 'utf8')).toContain(
    'COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;',
  )
  expect(readFileSync(join(app, 'worker-configuration.d.ts'), 'utf8')).toContain('interface DurableObjectState<Props = unknown>')
  expect(readFileSync(join(app, '.cloudwerk', 'types.d.ts'), 'utf8')).toContain('Counter: {')

  const build = run('npm', ['run', 'build'])
  expect(build.out).toMatch(/Counter\s+COUNTER\s+app\/objects\/counter\.ts/)
  expect(build.status).toBe(0)

  // On the machine's Node (20): the typecheck needs no wrangler CLI. Up to date since create.
  const typecheck = run('npm', ['run', 'typecheck'], { PATH: `${machineNodeBin(parent)}:${process.env.PATH}` })
  expect(typecheck.out).not.toContain('error TS')
  expect(typecheck.out).toContain('Up to date: worker-configuration.d.ts (wrangler types)')
  expect(typecheck.status).toBe(0)

  const deploy = run(process.execPath, [CLI, 'deploy', '--dry-run', '--outdir', join(parent, 'out')], {
    CLOUDWERK_NODE: join(repo, 'node_modules', '.bin', 'node'),
    WRANGLER_SEND_METRICS: 'false',
  })
  expect(deploy.out).toMatch(/env\.COUNTER \(Counter\)\s+Durable Object/)
  expect(deploy.status).toBe(0)

  const dev = await startDev(app)
  try {
    expect(await (await fetch(`${dev.url}/api/counter/e2e?amount=3`, { method: 'POST' })).json()).toEqual({ value: 3 })
    expect(await (await fetch(`${dev.url}/api/counter/e2e`)).json()).toEqual({ value: 3 })
    expect((await fetch(`${dev.url}/robots.txt`)).status).toBe(200)
  } finally {
    await dev.stop()
  }
})
