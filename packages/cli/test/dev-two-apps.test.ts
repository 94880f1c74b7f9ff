// `cloudwerk dev ../split-backend .` in the front: one command serves both apps, the front calls
// the backend's object over script_name, and each app reloads on its own changes.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { startDev } from './support/dev-process.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const parent = mkdtempSync(join(tmpdir(), 'cw-two-apps-'))
for (const name of ['split-backend', 'split-front']) {
  cpSync(join(import.meta.dirname, 'apps', name), join(parent, name), { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(parent, name, 'node_modules'))
}
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
afterAll(() => {
  rmSync(parent, { recursive: true, force: true })
  rmSync(registry, { recursive: true, force: true })
})

const post = async (url: string) => (await fetch(url, { method: 'POST' })).json()
const edit = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to))

test('both Workers in one dev session, each reloading on its own changes', { timeout: 180_000 }, async () => {
  const dev = await startDev(join(parent, 'split-front'), ['../split-backend', '.'], {
    WRANGLER_REGISTRY_PATH: registry,
    MINIFLARE_REGISTRY_PATH: registry,
  })
  try {
    const backend = /split-backend on (http:\/\/\S+)/.exec(dev.output())![1]
    // The front's route calls HitCounter in the backend Worker: hit(2), then count().
    expect(await post(`${dev.url}/api/pages/home`)).toEqual({ hits: 2, tally: { page: 'home', hits: 2 }, count: 2 })
    // The same object, from the backend's own route.
    expect(await post(`${backend}/api/hits/home`)).toEqual({ hits: 3, from: 'backend' })

    let seen = dev.output().length
    edit(join(parent, 'split-backend/app/api/hits/[page]/route.ts'), "from: 'backend'", "from: 'backend, edited'")
    await dev.waitFor(/\[split-backend\] Reloaded/, seen, 60_000)
    expect(await post(`${backend}/api/hits/home`)).toEqual({ hits: 4, from: 'backend, edited' })

    seen = dev.output().length
    edit(
      join(parent, 'split-front/app/api/pages/[page]/route.ts'),
      'count: await counter.count()',
      'count: await counter.count(), edited: true',
    )
    await dev.waitFor(/\[split-front\] Reloaded/, seen, 60_000)
    expect(dev.output().slice(seen)).not.toContain('[split-backend] Reloaded')
    expect(await post(`${dev.url}/api/pages/home`)).toEqual({ hits: 6, tally: { page: 'home', hits: 6 }, count: 6, edited: true })
  } finally {
    await dev.stop()
  }
})
