// `wrangler types` on a built app: the namespaces are typed with the build's declarations
// (dist/index.d.ts), and the app type-checks with wrangler's runtime types alone, skipLibCheck off.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CLI } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'cw-wrangler-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
  })
  return { status: result.status, out: result.stdout + result.stderr }
}

test('the basic template: build, wrangler types, tsc without skipLibCheck', { timeout: 180_000 }, () => {
  cpSync(join(repo, 'templates', 'basic'), dir, { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
  expect(run(process.execPath, [CLI, 'build']).status).toBe(0)
  expect(readFileSync(join(dir, 'dist', 'index.d.ts'), 'utf8')).toContain(
    'export declare class Counter extends DurableObject {\n  "increment"(amount?: number): Promise<number>',
  )

  const types = run(join(repo, 'node_modules', '.bin', 'node'), [join(repo, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'types'])
  expect(types.status, types.out).toBe(0)
  expect(readFileSync(join(dir, 'worker-configuration.d.ts'), 'utf8')).toContain(
    'COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;',
  )

  mkdirSync(join(dir, 'check'))
  writeFileSync(
    join(dir, 'check', 'env.ts'),
    `export async function use(env: Env): Promise<number> {
  // @ts-expect-error a misspelt method is an error
  await env.COUNTER.getByName('a').incremnt(2)
  return env.COUNTER.getByName('a').increment(2)
}
`,
  )
  const compilerOptions = {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['./worker-configuration.d.ts'],
    strict: true,
    noEmit: true,
    isolatedModules: true,
  }
  writeFileSync(
    join(dir, 'tsconfig.wrangler.json'),
    JSON.stringify({ compilerOptions, include: ['app', 'check', '.cloudwerk/types.d.ts'] }),
  )
  const tsc = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.wrangler.json'])
  expect(tsc.out).toBe('')
  expect(tsc.status).toBe(0)
})
