// The first five minutes of a user, end to end: `cloudwerk create --link` into a temp folder,
// a real `npm install`, build, type-check, `wrangler deploy --dry-run` (Node 22 from the npm
// `node` package), then `cloudwerk dev` answering the app's routes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CLI, startDev } from '../../packages/cli/test/support/dev-process.js'

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
  const created = run(process.execPath, [CLI, 'create', 'my-app', '--template', 'basic', '--link'])
  expect(created.out).toContain('Created my-app from the basic template')
  expect(created.status).toBe(0)
  expect(existsSync(join(app, 'node_modules', '@cloudwerk', 'cli'))).toBe(true)

  const build = run('npm', ['run', 'build'])
  expect(build.out).toMatch(/Counter\s+COUNTER\s+app\/objects\/counter\.ts/)
  expect(build.status).toBe(0)

  // The typecheck runs wrangler types, and wrangler needs Node 22: the repository's `node`
  // devDependency, first on PATH for this step.
  const node22 = join(parent, 'node22')
  mkdirSync(node22)
  symlinkSync(join(repo, 'node_modules', '.bin', 'node'), join(node22, 'node'))
  const typecheck = run('npm', ['run', 'typecheck'], { PATH: `${node22}:${process.env.PATH}` })
  expect(typecheck.out).not.toContain('error TS')
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
