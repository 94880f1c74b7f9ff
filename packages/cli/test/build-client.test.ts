import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp } from '../src/testing/index.js'
import { CLI, copyApp, removeApp } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
let dir: string
let build: { status: number | null; out: string }

function cloudwerk(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } })
  return { status: result.status, out: result.stdout + result.stderr }
}
const read = (path: string) => readFileSync(join(dir, path), 'utf8')

beforeAll(() => {
  dir = copyApp('client-app')
  build = cloudwerk(['build', '--no-types'])
}, 120_000)
afterAll(() => removeApp(dir))

describe('cloudwerk build bundles client/ for browsers beside a copy of public/', () => {
  test('each file directly in client/ is an entry served as /client/<name>.js; subfolders are modules', () => {
    expect(build.status).toBe(0)
    const client = readdirSync(join(dir, 'dist/assets/client'))
    expect(client).toEqual(expect.arrayContaining(['main.js', 'main.js.map', 'admin.js', 'main.css']))
    expect(client).not.toContain('greet.js')
    // Minified ES modules with linked source maps.
    expect(read('dist/assets/client/main.js')).toMatch(/^import\{/)
    expect(read('dist/assets/client/main.js')).toContain('//# sourceMappingURL=main.js.map')
    expect(JSON.parse(read('dist/assets/client/main.js.map')).sources).toContain('../../../client/main.ts')
    // The shared type module was imported from app/: its function is bundled.
    expect(read('dist/assets/client/main.js')).toContain('count ')
  })

  test('CSS imported by an entry is bundled to /client/<entry>.css', () => {
    expect(read('dist/assets/client/main.css')).toContain('#greeting{color:#010203}')
  })

  test('a module two entries import is split into one shared chunk that both load', () => {
    const [chunk] = readdirSync(join(dir, 'dist/assets/client/chunks')).filter((f) => f.endsWith('.js'))
    expect(read(`dist/assets/client/chunks/${chunk}`)).toContain('hello ')
    for (const entry of ['main', 'admin']) expect(read(`dist/assets/client/${entry}.js`)).toContain(`./chunks/${chunk}`)
  })

  test('an npm package with JSX (hono/jsx/dom) is bundled', () => {
    expect(read('dist/assets/client/admin.js')).toContain('admin')
    expect(read('dist/assets/client/admin.js')).not.toMatch(/from"hono/)
  })

  test('public/ is copied beside the bundles and wrangler.jsonc points at the output, comments kept', () => {
    expect(read('dist/assets/index.html')).toBe(read('public/index.html'))
    const config = read('wrangler.jsonc')
    expect(config).toContain("// a user's comment, kept by every build")
    expect(config).toMatch(/"assets": \{\s+"directory": "dist\/assets"\s+\}/)
  })

  test('the build prints each browser bundle with its gzipped size beside the Worker', () => {
    expect(build.out).toMatch(/Built dist\/index\.js\s+[\d.]+ KB \(gzip [\d.]+ KB\)/)
    expect(build.out).toMatch(/Browser \(client\/\)/)
    for (const file of ['main.js', 'admin.js', 'main.css']) {
      expect(build.out).toMatch(new RegExp(`dist/assets/client/${file.replace('.', '\\.')}\\s+[\\d.]+ K?B\\s+gzip [\\d.]+ K?B`))
    }
    expect(build.out).toMatch(/dist\/assets\/client\/chunks\/chunk-\w+\.js\s+[\d.]+ K?B\s+gzip/)
  })

  test('wrangler deploy --dry-run accepts the Worker with its assets', { timeout: 120_000 }, () => {
    const node22 = join(repo, 'node_modules', '.bin', 'node')
    const result = cloudwerk(['deploy', '--dry-run', '--outdir', join(dir, 'wrangler-out')], {
      CLOUDWERK_NODE: node22,
      WRANGLER_SEND_METRICS: 'false',
    })
    expect(result.out).toMatch(/Read \d+ files from the assets directory .*dist\/assets/)
    expect(result.out).toContain('--dry-run: exiting now.')
    expect(result.status).toBe(0)
  })
})

test('startTestApp serves the static assets as they deploy: public/ and the bundles of client/', { timeout: 120_000 }, async () => {
  const app = await startTestApp({ root: dir })
  try {
    expect(await (await app.fetch('/index.html')).text()).toContain('<script type="module" src="/client/main.js">')
    const script = await app.fetch('/client/main.js')
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect(await script.text()).toContain('count ')
  } finally {
    await app.close()
  }
})

describe('build errors in client/', () => {
  test.each(['node:fs/promises', 'cloudflare:workers'])('importing %s stops the build, naming the file and the fix', (module) => {
    mkdirSync(join(dir, 'client/lib'), { recursive: true })
    writeFileSync(join(dir, 'client/lib/server-only.ts'), `import * as m from '${module}'\nexport const loaded = m\n`)
    writeFileSync(join(dir, 'client/broken.ts'), `import { loaded } from './lib/server-only'\nconsole.log(loaded)\n`)
    const before = read('dist/assets/client/main.js')
    try {
      const result = cloudwerk(['build', '--no-types'])
      expect(result.status).toBe(1)
      expect(result.out).toContain(
        `client/lib/server-only.ts:1:20: "${module}" runs only in the Worker, but client/lib/server-only.ts is browser code`,
      )
      expect(result.out).toContain('Move the code that needs it into app/')
      // The last good assets stay in place.
      expect(read('dist/assets/client/main.js')).toBe(before)
    } finally {
      renameSync(join(dir, 'client/broken.ts'), join(dir, 'broken.ts.off'))
    }
  })

  test('two entries with one name, and a public/client/ folder, are refused with the way out', () => {
    writeFileSync(join(dir, 'client/main.js'), 'console.log(1)\n')
    let result = cloudwerk(['build', '--no-types'])
    renameSync(join(dir, 'client/main.js'), join(dir, 'main.js.off'))
    expect(result.status).toBe(1)
    expect(result.out).toContain(
      'client/main.ts: client/main.js and client/main.ts would both be served as /client/main.js. Rename one of them.',
    )
    mkdirSync(join(dir, 'public/client'))
    result = cloudwerk(['build', '--no-types'])
    renameSync(join(dir, 'public/client'), join(dir, 'public-client.off'))
    expect(result.status).toBe(1)
    expect(result.out).toContain('public/client/: both this folder and the bundles of client/ would be served under /client/.')
    expect(existsSync(join(dir, 'dist/assets/client/main.js'))).toBe(true)
  })
})
