// Every template type-checks as a user runs it: `npm run typecheck` (cloudwerk build, wrangler
// types, then tsc on each world: the app, its tests, its browser code), skipLibCheck off. The
// namespaces `wrangler types` writes are typed with the build's declarations (dist/index.d.ts).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterAll, describe, expect, test } from 'vitest'

const repo = join(import.meta.dirname, '..', '..', '..')
const work = mkdtempSync(join(tmpdir(), 'cw-template-types-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// wrangler needs Node 22: the repository's `node` devDependency, first on PATH for the script.
const node22 = join(work, 'node22')
mkdirSync(node22)
symlinkSync(join(repo, 'node_modules', '.bin', 'node'), join(node22, 'node'))

function run(dir: string, command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${node22}:${process.env.PATH}`, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
  })
  return { status: result.status, out: result.stdout + result.stderr }
}

const tsconfigs = (dir: string) => ['tsconfig.json', 'test/tsconfig.json', 'client/tsconfig.json'].filter((f) => existsSync(join(dir, f)))

describe.each(readdirSync(join(repo, 'templates')))('the %s template', (template) => {
  const dir = join(work, template)

  test('npm run typecheck passes with skipLibCheck off in every tsconfig', { timeout: 180_000 }, () => {
    cpSync(join(repo, 'templates', template), dir, { recursive: true })
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
    for (const file of tsconfigs(dir)) {
      const config = parse(readFileSync(join(dir, file), 'utf8'))
      expect(config.compilerOptions?.skipLibCheck, file).toBeUndefined()
    }
    expect(tsconfigs(dir)).toContain('test/tsconfig.json')

    const typecheck = run(dir, 'npm', ['run', 'typecheck'])
    expect(typecheck.out).not.toContain('error TS')
    expect(typecheck.status, typecheck.out).toBe(0)
    expect(typecheck.out).toContain('Types written to worker-configuration.d.ts')
  })

  test('an error in a test file fails it (the test world is checked)', { timeout: 60_000 }, () => {
    writeFileSync(join(dir, 'test', 'wrong.ts'), `export const count: number = 'one'\n`)
    const tsc = run(dir, process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'test'])
    expect(tsc.out).toContain("test/wrong.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.")
    expect(tsc.out.match(/error TS/g)).toHaveLength(1)
    rmSync(join(dir, 'test', 'wrong.ts'))
  })
})

test('wrangler types names the built classes, and a misspelt method on env fails tsc by its name', { timeout: 60_000 }, () => {
  // Made by the basic template's typecheck above.
  const dir = join(work, 'basic')
  expect(readFileSync(join(dir, 'dist', 'index.d.ts'), 'utf8')).toContain(
    'export declare class Counter extends DurableObject {\n  "increment"(amount?: number): Promise<number>',
  )
  expect(readFileSync(join(dir, 'worker-configuration.d.ts'), 'utf8')).toContain(
    'COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;',
  )
  // The stub types are read with the globals worker-configuration.d.ts declares (Headers, not any).
  const counter = join(dir, 'app', 'objects', 'counter.ts')
  writeFileSync(
    counter,
    readFileSync(counter, 'utf8').replace('  methods: {\n', '  methods: {\n    async headers() {\n      return new Headers()\n    },\n'),
  )
  expect(run(dir, process.execPath, [join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js'), 'types']).status).toBe(0)
  expect(readFileSync(join(dir, '.cloudwerk', 'types.d.ts'), 'utf8')).toContain('"headers"(): Promise<Headers>')
  writeFileSync(
    join(dir, 'app', 'env-check.ts'),
    `export async function use(env: Env): Promise<number> {
  await env.COUNTER.getByName('a').incremnt(2)
  return env.COUNTER.getByName('a').increment(2)
}
`,
  )
  const tsc = run(dir, process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'])
  expect(tsc.out.match(/error TS/g), tsc.out).toHaveLength(1)
  expect(tsc.out).toMatch(
    /app\/env-check\.ts\(2,36\): error TS2551: Property 'incremnt' does not exist on type .*Did you mean 'increment'\?/,
  )
  rmSync(join(dir, 'app', 'env-check.ts'))
})
