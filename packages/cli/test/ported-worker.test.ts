// A Worker ported to Cloudwerk keeps its binding name ("rooms" for ChatRoom) and its module
// imports (.html, .md through the config's `rules`, .bin, .wasm), in the test runtime and in
// what `wrangler deploy` uploads.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { expect, test } from 'vitest'
import { generatedPath } from '../src/pipeline/generated-paths.js'
import { CLI } from './support/dev-process.js'
import { useTestApp } from './support/test-app.js'

const REPO = join(import.meta.dirname, '..', '..', '..')
const fixture = useTestApp('ported-worker')

test('routes reach the object through the binding the config names, and import text modules', async () => {
  const page = await fixture.app.fetch('/api/room/lobby')
  expect(await page.text()).toBe('<!doctype html><title>chat</title>\n')
  const joined = await fixture.app.fetch('/api/room/lobby', { method: 'POST', body: 'ada' })
  expect(await joined.json()).toEqual({ joined: ['ada'], welcome: '# Welcome\n' })
  expect(parse(readFileSync(join(fixture.dir, 'wrangler.jsonc'), 'utf8')).durable_objects.bindings).toEqual([
    { name: 'rooms', class_name: 'ChatRoom' },
  ])
  expect(readFileSync(generatedPath(fixture.dir, 'entry'), 'utf8')).toContain('ChatRoom: "rooms"')
})

test('a .bin import is an ArrayBuffer and a .wasm import a WebAssembly.Module, as on Workers', async () => {
  const room = fixture.objects().ChatRoom.getByName('lobby')
  expect(await room.modules()).toEqual({ sum: 5, bytes: [1, 2, 255], isArrayBuffer: true })
})

test('wrangler deploy --dry-run uploads the build with the wasm module beside it', () => {
  execFileSync(process.execPath, [CLI, 'build', '--no-types'], { cwd: fixture.dir, env: { ...process.env, NO_COLOR: '1' } })
  const out = join(fixture.dir, 'out')
  const wrangler = join(REPO, 'node_modules/wrangler/bin/wrangler.js')
  const output = execFileSync(join(REPO, 'node_modules/.bin/node'), [wrangler, 'deploy', '--dry-run', '--outdir', out], {
    cwd: fixture.dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
  })
  expect(output).toMatch(/env\.rooms \(ChatRoom\)/)
  expect(readdirSync(out).filter((f) => f.endsWith('-add.wasm'))).toHaveLength(1)
  const bundle = readFileSync(join(out, 'index.js'), 'utf8')
  expect(bundle).toContain('<!doctype html><title>chat</title>')
  expect(bundle).toContain('# Welcome')
}, 60_000)
