// `cloudwerk objects versions` and `cloudwerk objects migrate --dry-run <Class>`: the dry run tries
// the migrate steps on a copy of the objects `cloudwerk dev` stored, reports each one, and leaves
// the local data exactly as it was.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLI, copyApp, removeApp, startDev } from './support/dev-process.js'

let dir: string
const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }
beforeAll(() => {
  dir = copyApp('versions-app')
})
afterAll(() => {
  removeApp(dir)
  rmSync(registry, { recursive: true, force: true })
})

function cloudwerk(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } })
  return { status: result.status, out: result.stdout + result.stderr }
}

/** A hash of every file of the local object data: any write changes it. */
function localData(): string {
  const hash = createHash('sha256')
  const folder = join(dir, '.wrangler/state/v3/do/versions-app-Note')
  for (const file of readdirSync(folder).sort()) hash.update(file).update(readFileSync(join(folder, file)))
  return hash.digest('hex')
}

// Version 2 renames text to body; the schema wants a body that is not empty.
const NOTE_V2 = `
import { defineDurableObject } from '@cloudwerk/durable-object'
import { z } from 'zod'

export default defineDurableObject<{ body: string }>({
  version: 2,
  migrate: { 2: ({ text }: any) => ({ body: text }) },
  schema: z.object({ body: z.string().min(1) }),
  init: () => ({ body: 'new' }),
  methods: {
    async read() {
      return this.state
    },
  },
})
`

test('the dry run reports which local objects would migrate and which would fail, and writes nothing', { timeout: 120_000 }, async () => {
  expect(cloudwerk(['objects', 'migrate', '--dry-run', 'Note']).out).toContain(
    'no local Note objects in .wrangler/state/v3/do/versions-app-Note',
  )
  const dev = await startDev(dir, [], env)
  for (const [id, text] of [
    ['kept', 'hello'],
    ['empty', ''],
  ]) {
    await fetch(`${dev.url}/api/notes/${id}`, { method: 'POST', body: text })
  }
  await dev.stop()
  writeFileSync(join(dir, 'app/objects/note.ts'), NOTE_V2)

  expect(cloudwerk(['objects', 'versions']).out).toMatch(/class\s+version\s+steps\s+file\n\s*Note\s+2\s+1 -> 2\s+app\/objects\/note\.ts/)
  const before = localData()
  const run = cloudwerk(['objects', 'migrate', '--dry-run', 'Note'])
  expect(run.status).toBe(1)
  expect(run.out).toContain('Note: 2 local objects in .wrangler/state/v3/do/versions-app-Note, tried on a copy:')
  expect(run.out.match(/ ok {5}[0-9a-f]{64} \(version 1 -> 2\)/g)).toHaveLength(1)
  expect(run.out).toMatch(
    / fails  [0-9a-f]{64}\n\s+Note: migrating the stored state from version 1 to 2 failed at step 1 -> 2: the result does not match the schema: state\.body: /,
  )
  expect(run.out).toContain('1 of 2 would fail. Nothing was written.')
  expect(localData()).toBe(before)
})
