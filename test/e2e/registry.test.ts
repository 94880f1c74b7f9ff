// What a user outside this repository does, against a real npm registry (Verdaccio, local): the
// framework's packages are packed and published to it, then `npm create cloudwerk@latest` makes
// an app in an empty folder, and the app's own scripts, wrangler and `npm run dev` work. No
// --link, no file: paths. The packed tarballs are also checked with publint and
// @arethetypeswrong/cli, and installed directly (npm pack, npm install <tarballs>, create).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { machineNodeBin, machineNodeVersion } from '../../packages/cli/test/support/machine-node.js'
import { runIn, startNpmDev } from './support/app.js'
import { cleanEnv, findFreePort, startRegistry, type Registry } from './support/registry.js'

const repo = join(import.meta.dirname, '..', '..')
const PACKAGES = ['durable-object', 'core', 'client', 'create-cloudwerk', 'cli']
const version = JSON.parse(readFileSync(join(repo, 'packages', 'cli', 'package.json'), 'utf8')).version
const bin = (name: string) => join(repo, 'node_modules', '.bin', name)

const work = mkdtempSync(join(tmpdir(), 'cw-registry-'))
let registry: Registry
let tarballs: string[]

beforeAll(async () => {
  // npm pack runs each package's prepack (create-cloudwerk copies the templates in).
  const packed = runIn(repo, cleanEnv(), 'npm', [
    'pack',
    '--pack-destination',
    work,
    ...PACKAGES.flatMap((name) => ['-w', `packages/${name}`]),
  ])
  expect(packed.status, packed.out).toBe(0)
  tarballs = readdirSync(work)
    .filter((name) => name.endsWith('.tgz'))
    .map((name) => join(work, name))
  registry = await startRegistry(join(work, 'registry'))
  for (const tarball of tarballs) {
    const published = runIn(work, registry.env, 'npm', ['publish', tarball])
    expect(published.status, published.out).toBe(0)
  }
}, 180_000)

afterAll(async () => {
  await registry?.stop()
  rmSync(work, { recursive: true, force: true })
})

test('every package is correct as published (publint, arethetypeswrong)', () => {
  expect(tarballs).toHaveLength(PACKAGES.length)
  for (const tarball of tarballs) {
    const lint = runIn(work, cleanEnv(), bin('publint'), ['run', tarball, '--strict'])
    expect(lint.out).toContain('All good')
    expect(lint.status, lint.out).toBe(0)
    // ESM only: types must resolve for bundler, node16 and nodenext importers (not require()).
    const types = runIn(work, cleanEnv(), bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'])
    expect(types.status, types.out).toBe(0)
  }
}, 180_000) // two tools per tarball, each a Node process that loads TypeScript

test('no tarball ships the tests kept beside the sources', () => {
  for (const tarball of tarballs) {
    const listed = runIn(work, cleanEnv(), 'tar', ['-tzf', tarball])
    expect(listed.status, listed.out).toBe(0)
    // The templates' own tests are part of the apps create makes; nothing else is a test.
    const tests = listed.out.split('\n').filter((file) => /\.test\.[cm]?[jt]s/.test(file) && !file.startsWith('package/templates/'))
    expect(tests, tarball).toEqual([])
  }
})

describe.each(['chat', 'basic'])('npm create cloudwerk@latest app -- --template %s', (template) => {
  const folder = join(work, `user-${template}`)
  const app = join(folder, 'app')
  // A user's machine: its Node (20 here) first on PATH, not the repository's Node 22 package.
  const userEnv = () => ({ ...registry.env, PATH: `${machineNodeBin(folder)}:${registry.env.PATH}` })
  const run = (command: string, args: string[], env = registry.env) => runIn(app, env, command, args)

  test('creates and installs the app on the published version, and writes its types', () => {
    mkdirSync(folder)
    const env = userEnv()
    expect(runIn(folder, env, 'node', ['--version']).out.trim()).toBe(machineNodeVersion)
    const created = runIn(folder, env, 'npm', ['create', 'cloudwerk@latest', 'app', '--', '--template', template])
    expect(created.out).toContain(`Created app from the ${template} template (Cloudwerk ${version})`)
    expect(created.status, created.out).toBe(0)
    expect(created.out).toContain(
      'Types for your editor are written: worker-configuration.d.ts (Workers runtime, env) and\n.cloudwerk/types.d.ts (your objects).',
    )
    expect(readFileSync(join(app, 'worker-configuration.d.ts'), 'utf8')).toContain(
      template === 'chat'
        ? 'CHAT_ROOM: DurableObjectNamespace<import("./dist/index").ChatRoom>;'
        : 'COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;',
    )
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    expect(pkg.name).toBe('app')
    expect(pkg.dependencies['@cloudwerk/core']).toBe(version)
    expect(pkg.devDependencies['@cloudwerk/cli']).toBe(version)
    expect(readFileSync(join(app, 'package-lock.json'), 'utf8')).not.toMatch(/"(file|link|workspace):/)
    expect(existsSync(join(app, '.git'))).toBe(true)
    // Every package's metadata is in this run's npm cache now: later installs need not ask again.
    registry.env.npm_config_prefer_offline = 'true'
  }, 300_000)

  test('npm test, typecheck (on Node 20), build, wrangler deploy --dry-run', () => {
    const tests = run('npm', ['test'])
    expect(tests.out).toMatch(/Tests\s+\d+ passed/)
    expect(tests.status, tests.out).toBe(0)
    // The typecheck on the machine's Node (20): no wrangler CLI in it.
    const typecheck = run('npm', ['run', 'typecheck'], userEnv())
    expect(typecheck.out).toContain('Up to date: worker-configuration.d.ts (wrangler types)')
    expect(typecheck.status, typecheck.out).toBe(0)
    const build = run('npm', ['run', 'build'])
    expect(build.status, build.out).toBe(0)
    // The wrangler CLI needs Node 22: the repository's `node` devDependency, first on PATH.
    const node22 = join(work, `node22-${template}`)
    mkdirSync(node22)
    symlinkSync(bin('node'), join(node22, 'node'))
    const env = { ...registry.env, PATH: `${node22}:${registry.env.PATH}`, WRANGLER_SEND_METRICS: 'false' }
    const deploy = run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', join(work, `out-${template}`)], env)
    expect(deploy.out).toContain('--dry-run: exiting now.')
    expect(deploy.out).toMatch(
      template === 'chat' ? /env\.CHAT_ROOM \(ChatRoom\)\s+Durable Object/ : /env\.COUNTER \(Counter\)\s+Durable Object/,
    )
    expect(deploy.status, deploy.out).toBe(0)
  }, 300_000)

  test('npm run dev answers', async () => {
    const env = { ...registry.env, WRANGLER_REGISTRY_PATH: join(work, 'dev-registry'), MINIFLARE_REGISTRY_PATH: join(work, 'dev-registry') }
    const dev = await startNpmDev(app, env, await findFreePort())
    try {
      if (template === 'basic') {
        expect(await (await fetch(`${dev.url}/api/counter/e2e?amount=3`, { method: 'POST' })).json()).toEqual({ value: 3 })
      } else {
        const room = await fetch(`${dev.url}/api/rooms/e2e`)
        expect(room.status).toBe(200)
        expect(room.headers.get('content-type')).toContain('application/json')
        expect(await (await fetch(`${dev.url}/`)).text()).toContain('<title>')
      }
    } finally {
      await dev.stop()
    }
  }, 120_000)
})

test('npx @cloudwerk/cli create, from the registry', () => {
  const folder = join(work, 'npx-cli')
  mkdirSync(folder)
  const created = runIn(folder, registry.env, 'npx', [
    '--yes',
    '@cloudwerk/cli',
    'create',
    'from-npx',
    '--template',
    'basic',
    '--no-install',
    '--no-git',
  ])
  expect(created.out).toContain(`Created from-npx from the basic template (Cloudwerk ${version})`)
  expect(created.status, created.out).toBe(0)
  expect(JSON.parse(readFileSync(join(folder, 'from-npx', 'package.json'), 'utf8')).dependencies['@cloudwerk/core']).toBe(version)
}, 300_000)

test('npm pack, npm install <tarballs> into an empty folder, then create from the installed packages', () => {
  const folder = join(work, 'tarballs')
  mkdirSync(folder)
  const installed = runIn(folder, registry.env, 'npm', ['install', '--no-audit', '--no-fund', ...tarballs])
  expect(installed.status, installed.out).toBe(0)
  for (const [dir, ...command] of [
    ['from-cli', 'cloudwerk', 'create'],
    ['from-create', 'create-cloudwerk'],
  ]) {
    const created = runIn(folder, registry.env, 'npx', [...command, dir, '--template', 'chat', '--no-install', '--no-git'])
    expect(created.out).toContain(`Created ${dir} from the chat template (Cloudwerk ${version})`)
    expect(created.status, created.out).toBe(0)
    expect(existsSync(join(folder, dir, 'public', 'index.html'))).toBe(true)
    expect(JSON.parse(readFileSync(join(folder, dir, 'package.json'), 'utf8')).devDependencies['@cloudwerk/cli']).toBe(version)
  }
  // --link needs a checkout to link to; an installed package says so instead of writing anything.
  const linked = runIn(folder, registry.env, 'npx', ['create-cloudwerk', 'linked', '--link', '--no-install'])
  expect(linked.out).toContain('--link points the app at the packages of a Cloudwerk checkout')
  expect(linked.status).toBe(1)
  expect(existsSync(join(folder, 'linked'))).toBe(false)
}, 300_000)
