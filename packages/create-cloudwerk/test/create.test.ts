// create-cloudwerk as a user runs it (its bin, in a temp folder): what it writes, what it asks on
// a terminal, and every bad input ending in one line that says what to do, with nothing left behind.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterAll, expect, test } from 'vitest'

const BIN = join(import.meta.dirname, '..', 'bin', 'create-cloudwerk.js')
const repo = join(import.meta.dirname, '..', '..', '..')
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'))
const work = mkdtempSync(join(tmpdir(), 'cw-create-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function create(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const read = (path: string) => readFileSync(join(work, path), 'utf8')

test('copies the template and pins the framework to its own version', () => {
  const result = create(['plain', '--template', 'chat', '--no-install', '--no-git'])
  expect(result.stdout).toContain(`Created plain from the chat template (Cloudwerk ${version})`)
  expect(result.status).toBe(0)
  const pkg = JSON.parse(read('plain/package.json'))
  expect(pkg.name).toBe('plain')
  expect([
    pkg.dependencies['@cloudwerk/core'],
    pkg.dependencies['@cloudwerk/durable-object'],
    pkg.devDependencies['@cloudwerk/cli'],
  ]).toEqual([version, version, version])
  expect(read('plain/wrangler.jsonc')).toContain('"name": "plain"')
  expect(read('plain/.gitignore')).toContain('node_modules')
  expect(existsSync(join(work, 'plain', 'gitignore'))).toBe(false)
  expect(existsSync(join(work, 'plain', '.git'))).toBe(false)
  expect(existsSync(join(work, 'plain', 'public', 'index.html'))).toBe(true)
})

test('--link depends on the packages of this checkout; git init by default', () => {
  const result = create(['linked', '--link', '--no-install'])
  expect(result.status).toBe(0)
  const pkg = JSON.parse(read('linked/package.json'))
  expect(pkg.devDependencies['@cloudwerk/cli']).toBe(`file:${join(repo, 'packages', 'cli')}`)
  expect(pkg.dependencies['@cloudwerk/core']).toBe(`file:${join(repo, 'packages', 'core')}`)
  expect(existsSync(join(work, 'linked', '.git'))).toBe(true)
})

test('on a terminal, asks for the folder, template, install and git', () => {
  // `script` gives the command a terminal; answers typed ahead of their question are kept.
  const answers = 'asked\nchat\nn\nn\n'
  const result = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}"`, '/dev/null'], {
    cwd: work,
    input: answers,
    encoding: 'utf8',
  })
  expect(result.stdout).toContain('Template [basic, chat] (basic):')
  expect(result.stdout).toContain('Install dependencies (npm install)? (Y/n):')
  expect(result.stdout).toContain('Created asked from the chat template')
  expect(result.status).toBe(0)
  expect(existsSync(join(work, 'asked', 'public', 'index.html'))).toBe(true)
  expect(existsSync(join(work, 'asked', 'node_modules'))).toBe(false)
  expect(existsSync(join(work, 'asked', '.git'))).toBe(false)
})

/** The one line a failed create prints last, and that the folder holds what it held before. */
function expectFailure(result: ReturnType<typeof create>, message: string) {
  expect(result.status).toBe(1)
  const last = result.stderr.trim().split('\n').at(-1)
  expect(last).toMatch(/^Error: /)
  expect(last).toContain(message)
}

test('a folder that is not empty', () => {
  mkdirSync(join(work, 'taken'))
  writeFileSync(join(work, 'taken', 'notes.txt'), 'mine')
  expectFailure(
    create(['taken', '--no-install']),
    'taken is not empty. Cloudwerk never overwrites files: choose a new folder name or empty this one.',
  )
  expect(readdirSync(join(work, 'taken'))).toEqual(['notes.txt'])
})

test('a name npm refuses', () => {
  expectFailure(
    create(['My App', '--no-install']),
    '"My App" is not a package name npm accepts (name can only contain URL-friendly characters): the app is named after its folder, so choose a folder name like my-app.',
  )
  expectFailure(create(['node_modules', '--no-install']), 'choose a folder name like')
  expect(existsSync(join(work, 'My App'))).toBe(false)
  expect(existsSync(join(work, 'node_modules'))).toBe(false)
})

test('an unknown template or flag', () => {
  expectFailure(
    create(['typo', '--template', 'chta']),
    'There is no template "chta". Did you mean chat? Choose one of: basic, chat (--template <name>).',
  )
  expectFailure(create(['typo', '--instal']), "Unknown option '--instal'. Did you mean --install?")
  expect(existsSync(join(work, 'typo'))).toBe(false)
})

test('no network during npm install: the app is removed, or emptied if the folder was there', async () => {
  const closed = await findClosedPort()
  const offline = {
    npm_config_registry: `http://127.0.0.1:${closed}/`,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_fetch_retries: '0',
  }
  const message =
    'npm install could not reach the registry (no network?), so nothing was kept in offline: once connected, run the command again, or add --no-install'
  expectFailure(create(['offline', '--template', 'basic'], offline), message)
  expect(existsSync(join(work, 'offline'))).toBe(false)
  mkdirSync(join(work, 'offline'))
  expectFailure(create(['offline', '--template', 'basic'], offline), message)
  expect(readdirSync(join(work, 'offline'))).toEqual([])
}, 60_000)

test('Ctrl-C during npm install removes the app', async () => {
  // A registry that accepts connections and never answers: npm waits until it is stopped.
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1')
  await new Promise((resolve) => silent.once('listening', resolve))
  const { port } = silent.address() as { port: number }
  const env = {
    ...process.env,
    NO_COLOR: '1',
    npm_config_registry: `http://127.0.0.1:${port}/`,
    npm_config_cache: join(work, 'npm-cache-silent'),
  }
  try {
    const child = spawn(process.execPath, [BIN, 'stopped', '--template', 'basic', '--no-git'], { cwd: work, env, detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    // Once npm has asked the registry, Ctrl-C reaches the whole process group, as on a terminal.
    while (!sockets.size) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(stdout).toContain('Installing dependencies')
    process.kill(-child.pid!, 'SIGINT')
    expect(await exited).toBe(1)
    expect(stderr.trim().split('\n').at(-1)).toBe(
      'Error: Stopped (Ctrl-C), so nothing was kept in stopped: run the command again to create it.',
    )
    expect(existsSync(join(work, 'stopped'))).toBe(false)
  } finally {
    for (const socket of sockets) socket.destroy()
    silent.close()
  }
}, 60_000)

/** A port nothing listens on: connections to it are refused at once, as with no network. */
function findClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

test('--exports starts the config with an exports map, which the build keeps the objects in', { timeout: 120_000 }, () => {
  expect(create(['declared', '--exports', '--no-install', '--no-git']).status).toBe(0)
  expect(read('declared/wrangler.jsonc')).toContain('"exports": {}')
  symlinkSync(join(repo, 'node_modules'), join(work, 'declared', 'node_modules'))
  const build = spawnSync(process.execPath, [join(repo, 'packages', 'cli', 'bin', 'cloudwerk.js'), 'build'], {
    cwd: join(work, 'declared'),
    encoding: 'utf8',
  })
  expect(build.status, build.stdout + build.stderr).toBe(0)
  const config = parse(read('declared/wrangler.jsonc'))
  expect(config.exports).toEqual({ Counter: { type: 'durable-object', storage: 'sqlite' } })
  expect(config.migrations).toBeUndefined()
})

test('the types step after the install: written, or what failed said', { timeout: 120_000 }, async () => {
  const { generateTypes } = await import('../src/setup.js')
  expect(create(['typed', '--no-install', '--no-git']).status).toBe(0)
  const app = join(work, 'typed')
  symlinkSync(join(repo, 'node_modules'), join(app, 'node_modules'))
  expect(generateTypes(app)).toBeUndefined()
  expect(read('typed/worker-configuration.d.ts')).toContain('COUNTER: DurableObjectNamespace<import("./dist/index").Counter>;')
  expect(read('typed/.cloudwerk/types.d.ts')).toContain('Counter: {')

  const config = read('typed/wrangler.jsonc')
  writeFileSync(join(app, 'wrangler.jsonc'), config.replace(/"compatibility_date": "[^"]*"/, '"compatibility_date": "tomorrow"'))
  rmSync(join(app, 'worker-configuration.d.ts'))
  const failure = generateTypes(app)
  expect(failure).toContain('cloudwerk types: ')
  expect(failure).toContain('wrangler.jsonc: wrangler could not generate worker-configuration.d.ts from it')
})
