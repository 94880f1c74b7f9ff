// The dev server's Miniflare loader (src/util/load-cached.ts): compiled with a V8 code cache that
// a later run uses, a damaged cache is refused and replaced, and the Miniflare it loads works.
// Each load runs in a fresh Node process, as each `cloudwerk dev` does.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const loader = join(import.meta.dirname, '..', 'dist', 'util', 'load-cached.js')
const cacheDir = mkdtempSync(join(tmpdir(), 'cw-code-cache-'))
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }))

function load(): { codeCache: string; answer: string } {
  const script = `
    const { loadMiniflare } = await import(${JSON.stringify(loader)})
    const loaded = loadMiniflare({ cacheDir: ${JSON.stringify(cacheDir)} })
    const mf = new loaded.exports.Miniflare({ modules: true, script: 'export default { fetch: () => new Response("served") }', compatibilityDate: '2026-07-01', cf: false })
    const answer = await (await mf.dispatchFetch('http://localhost/')).text()
    await mf.dispose()
    loaded.saveCodeCache()
    console.log(JSON.stringify({ codeCache: loaded.codeCache, answer }))`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
}

test('the first load compiles and writes the cache, in place of one for another install; the next one uses it', () => {
  writeFileSync(join(cacheDir, 'miniflare-0123456789abcdef.v8'), 'a cache for an older Miniflare')
  writeFileSync(join(cacheDir, 'wrangler-0123456789abcdef.v8'), "not Miniflare's")
  expect(load()).toEqual({ codeCache: 'fresh', answer: 'served' })
  expect(readdirSync(cacheDir).sort()).toEqual([expect.stringMatching(/^miniflare-[0-9a-f]{16}\.v8$/), 'wrangler-0123456789abcdef.v8'])
  rmSync(join(cacheDir, 'wrangler-0123456789abcdef.v8'))
  expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^miniflare-[0-9a-f]{16}\.v8$/)])
  expect(load()).toEqual({ codeCache: 'used', answer: 'served' })
}, 60_000)

test('a damaged cache is refused, Miniflare still loads, and the cache is written anew', () => {
  const [file] = readdirSync(cacheDir)
  writeFileSync(join(cacheDir, file), Buffer.alloc(4096, 7))
  expect(load()).toEqual({ codeCache: 'rejected', answer: 'served' })
  expect(load()).toEqual({ codeCache: 'used', answer: 'served' })
}, 60_000)
