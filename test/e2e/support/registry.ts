// A real npm registry for the tests: Verdaccio on 127.0.0.1, its storage in a temp folder. The
// framework's packages are published to it; every other package is proxied from the registry npm
// normally uses. Child processes get an environment that points npm at it and nothing else.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

const repo = join(import.meta.dirname, '..', '..', '..')
const OURS = ['@cloudwerk/*', 'create-cloudwerk']

export interface Registry {
  url: string
  /** The environment for npm and anything it runs: this registry, a private cache, no inherited npm settings. */
  env: NodeJS.ProcessEnv
  stop(): Promise<void>
}

export async function startRegistry(dir: string): Promise<Registry> {
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}/`
  const uplink =
    spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: cleanEnv() }).stdout.trim() || 'https://registry.npmjs.org/'
  mkdirSync(dir, { recursive: true })
  const packages = OURS.map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n`).join('')
  writeFileSync(
    join(dir, 'config.yaml'),
    `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
uplinks:
  npmjs:
    url: ${uplink}
    timeout: 60s
    # One run of the tests reads each package's metadata from the uplink once.
    maxage: 60m
packages:
${packages}  '**':
    access: $all
    proxy: npmjs
log: { type: stdout, format: pretty, level: warn }
`,
  )
  const child = spawn(
    join(repo, 'node_modules', '.bin', 'verdaccio'),
    ['--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv(),
    },
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  await waitForPing(url, child, () => output)
  const token = await addUser(url)
  writeFileSync(join(dir, 'npmrc'), `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`)
  const env = cleanEnv({
    npm_config_userconfig: join(dir, 'npmrc'),
    npm_config_registry: url,
    // A cache of its own: npx would otherwise reuse a create-cloudwerk of the same version from an earlier run.
    npm_config_cache: join(dir, 'cache'),
    npm_config_update_notifier: 'false',
  })
  return {
    url,
    env,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill()
      await exited
    },
  }
}

/** The environment without what an outer `npm test` or vitest set, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|VITEST|INIT_CWD$|NODE_ENV$|TEST$)/i.test(key)) env[key] = value
  return { ...env, NO_COLOR: '1', ...extra }
}

async function addUser(url: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:cloudwerk`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cloudwerk', password: 'cloudwerk-test', type: 'user', roles: [], date: new Date().toISOString() }),
  })
  const body = (await response.json()) as { token?: string }
  if (!body.token) throw new Error(`Verdaccio did not create the test user: ${response.status} ${JSON.stringify(body)}`)
  return body.token
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited:\n${output()}`)
    const ok = await fetch(`${url}-/ping`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`Verdaccio did not answer in 60 s:\n${output()}`)
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
