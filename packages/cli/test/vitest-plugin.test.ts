// The basic template tested in workerd with `@cloudwerk/cli/vitest` (vitest-pool-workers): a
// route, an object, readState, eviction and an alarm, run by Vitest in the app's own folder; `env`
// typed in those tests; and an edit to an object, picked up by watch mode.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
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
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  })
  const out = run.stdout + run.stderr
  expect(out).toMatch(/Tests\s+4 passed \(4\)/)
  expect(run.status, out).toBe(0)
})

test('env is typed in the pool tests: a method call checks, a misspelt one fails tsc by its name', { timeout: 120_000 }, () => {
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
    })
    return { status: result.status, out: result.stdout + result.stderr }
  }
  // The template's typecheck steps: wrangler types reads the bindings the build wrote and its classes.
  const cli = join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js')
  expect(run(process.execPath, [cli, 'build']).status).toBe(0)
  const types = run(join(repo, 'node_modules', '.bin', 'node'), [join(repo, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'types'])
  expect(types.status, types.out).toBe(0)
  expect(run(process.execPath, [cli, 'types']).status).toBe(0)
  writeFileSync(
    join(dir, 'test', 'typed-env.ts'),
    `import { env } from 'cloudflare:test'
import { env as workerEnv } from 'cloudflare:workers'

export const total: Promise<number> = env.COUNTER.getByName('x').increment(2)
export const same: Promise<number> = workerEnv.COUNTER.getByName('x').increment(2)
export const misspelt = env.COUNTER.getByName('x').incremnt(2)
`,
  )
  const tsc = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'test'])
  rmSync(join(dir, 'test', 'typed-env.ts'))
  expect(tsc.out.match(/error TS/g), tsc.out).toHaveLength(1)
  expect(tsc.out).toMatch(
    /test\/typed-env\.ts\(6,52\): error TS2551: Property 'incremnt' does not exist on type .*Did you mean 'increment'\?/,
  )
})

// Each of the two waits may take this long on a busy machine (the first run starts workerd and
// writes the types). The test's own timeout leaves room for both: when it was shorter (180 s), a
// slow run ended on it, without the output a wait's error carries, and afterAll removed the folder
// while the watcher still ran in it.
const WAIT_MS = 120_000

test('watch mode reruns with an edited object as saved', { timeout: 2 * WAIT_MS + 30_000 }, async () => {
  const child = spawn(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), '--watch'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let out = ''
  const waitFor = (pattern: RegExp, from: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${out}`)), WAIT_MS)
      const check = () => pattern.test(out.slice(from)) && (clearTimeout(timer), resolve())
      child.stdout.on('data', check)
      child.stderr.on('data', check)
      check()
    })
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stderr.on('data', (chunk) => (out += chunk))
  try {
    // Saved once the first run is over and Vitest says it watches, as a user would save.
    await waitFor(/Tests\s+4 passed[\s\S]*Waiting for file changes/, 0)
    const counter = join(dir, 'app', 'objects', 'counter.ts')
    const from = out.length
    writeFileSync(counter, readFileSync(counter, 'utf8').replace('this.state.value += amount', 'this.state.value += amount * 10'))
    await waitFor(/Tests\s+3 failed \| 1 passed/, from)
    expect(out.slice(from)).toContain('expected { value: 20 } to deeply equal { value: 2 }')
  } finally {
    // Gone before afterAll removes the folder it (and its workerd) may still write to.
    child.kill()
    await exited
  }
})
