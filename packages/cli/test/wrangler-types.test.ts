// Every template type-checks as a user runs it: `npm run typecheck` (cloudwerk build, cloudwerk
// types, then tsc on each world: the app, its tests, its browser code), skipLibCheck off, on the
// Node that runs these tests (20 on this machine: the wrangler CLI would refuse it). `cloudwerk
// types` writes worker-configuration.d.ts through wrangler's library, as `wrangler types` does;
// its namespaces are typed with the build's declarations (dist/index.d.ts).
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterAll, describe, expect, test } from 'vitest'
import { machineNodeBin, machineNodeVersion } from './support/machine-node.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const work = mkdtempSync(join(tmpdir(), 'cw-template-types-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const PATH = `${machineNodeBin(work)}:${process.env.PATH}`

function run(dir: string, command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
  })
  return { status: result.status, out: result.stdout + result.stderr }
}

// The repository's packages, without its Node 22 `node` binary: npm scripts put
// node_modules/.bin first on PATH, and the scripts must run on the machine's Node.
function linkNodeModules(dir: string): void {
  const modules = join(repo, 'node_modules')
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true })
  for (const name of readdirSync(modules)) if (name !== '.bin') symlinkSync(join(modules, name), join(dir, 'node_modules', name))
  for (const name of readdirSync(join(modules, '.bin')))
    if (name !== 'node') symlinkSync(realpathSync(join(modules, '.bin', name)), join(dir, 'node_modules', '.bin', name))
}
const cloudwerk = (dir: string, args: string[]) =>
  run(dir, process.execPath, [join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js'), ...args])

const tsconfigs = (dir: string) => ['tsconfig.json', 'test/tsconfig.json', 'client/tsconfig.json'].filter((f) => existsSync(join(dir, f)))

describe.each(readdirSync(join(repo, 'templates')))('the %s template', (template) => {
  const dir = join(work, template)

  test('npm run typecheck passes with skipLibCheck off in every tsconfig', { timeout: 180_000 }, () => {
    cpSync(join(repo, 'templates', template), dir, { recursive: true })
    linkNodeModules(dir)
    for (const file of tsconfigs(dir)) {
      const config = parse(readFileSync(join(dir, file), 'utf8'))
      expect(config.compilerOptions?.skipLibCheck, file).toBeUndefined()
    }
    expect(tsconfigs(dir)).toContain('test/tsconfig.json')

    // The wrangler CLI refuses Node < 22; the typecheck runs on the machine's Node 20 without it.
    expect(parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts.typecheck).not.toContain('wrangler')
    expect(run(dir, 'npm', ['exec', '-c', 'node --version']).out.trim()).toBe(machineNodeVersion)
    expect(Number(machineNodeVersion.slice(1).split('.')[0])).toBeLessThan(22)
    const typecheck = run(dir, 'npm', ['run', 'typecheck'])
    expect(typecheck.out).not.toContain('error TS')
    expect(typecheck.status, typecheck.out).toBe(0)
    expect(typecheck.out).toContain('Wrote worker-configuration.d.ts (wrangler types)')
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
  expect(cloudwerk(dir, ['types']).status).toBe(0)
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

test('cloudwerk types writes what wrangler types writes, again only when what wrangler reads changed', { timeout: 120_000 }, () => {
  // The basic app from the tests above: built, worker-configuration.d.ts written on this Node.
  const dir = join(work, 'basic')
  const file = join(dir, 'worker-configuration.d.ts')
  expect(cloudwerk(dir, ['types']).out).toContain('Up to date: worker-configuration.d.ts (wrangler types)')

  // A secret in .dev.vars is a new input: generated again, typed.
  writeFileSync(join(dir, '.dev.vars'), 'API_TOKEN=local-token\n')
  expect(cloudwerk(dir, ['types']).out).toContain('Wrote worker-configuration.d.ts (wrangler types)')
  const ours = readFileSync(file, 'utf8')
  expect(ours).toContain('API_TOKEN: string;')
  expect(ours).toContain('COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;')

  // Byte for byte what the wrangler CLI (Node 22: the repository's `node` package) writes.
  const node22 = join(repo, 'node_modules', '.bin', 'node')
  const wrangler = run(dir, node22, [join(repo, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'types'])
  expect(wrangler.status, wrangler.out).toBe(0)
  expect(readFileSync(file, 'utf8') === ours).toBe(true)

  // A deleted file is written again though nothing it is made from changed.
  rmSync(file)
  expect(cloudwerk(dir, ['types']).out).toContain('Wrote worker-configuration.d.ts (wrangler types)')
  expect(readFileSync(file, 'utf8') === ours).toBe(true)

  // A config wrangler refuses: the error names the file and wrangler's reason.
  const config = join(dir, 'wrangler.jsonc')
  const text = readFileSync(config, 'utf8')
  writeFileSync(config, text.replace(/"compatibility_date": "[^"]*"/, '"compatibility_date": "tomorrow"'))
  const refused = cloudwerk(dir, ['types'])
  expect(refused.status).toBe(1)
  expect(refused.out).toContain('wrangler.jsonc: wrangler could not generate worker-configuration.d.ts from it')
  expect(refused.out).toContain('"compatibility_date" field should be a valid ISO-8601 date')
  expect(refused.out).toContain('Fix wrangler.jsonc, then run cloudwerk types again.')
  writeFileSync(config, text)
})
