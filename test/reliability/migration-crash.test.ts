// A state migration killed halfway: `cloudwerk dev` serves version 2 of an object whose step
// doubles every number of large stored states, and dev and its workerd are killed with SIGKILL
// while the objects migrate. After a restart every object is whole: all numbers doubled exactly
// once (the migration was written together with its version, or not at all and runs again).
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDev, type DevProcess } from '../../packages/cli/test/support/dev-process'
import { copyApp, workerdChildren } from './support/app.mjs'

const SHEETS = Array.from({ length: 8 }, (_, i) => `sheet-${i}`)
const ROWS = 20_000
const KEYS = 200

// Version 2: every number doubled.
const SHEET_V2 = `
import { defineDurableObject } from '@cloudwerk/durable-object'
import { checkNumbers } from '../lib/check-numbers'

type Sheet = { rows: Array<{ n: number }> } & Record<\`k\${number}\`, number>

export default defineDurableObject<Sheet>({
  version: 2,
  migrate: {
    2: (old: any) => {
      const next: any = { rows: old.rows.map((row: { n: number }) => ({ n: row.n * 2 })) }
      for (const key of Object.keys(old)) if (key.startsWith('k')) next[key] = old[key] * 2
      return next
    },
  },
  methods: {
    async check() {
      return { version: 2, ...checkNumbers(this.state as Record<string, unknown>, 2) }
    },
  },
})
`

let dir: string
let dev: DevProcess | undefined
const registry = { WRANGLER_REGISTRY_PATH: '', MINIFLARE_REGISTRY_PATH: '' }
beforeAll(() => {
  dir = copyApp('versions')
  registry.WRANGLER_REGISTRY_PATH = registry.MINIFLARE_REGISTRY_PATH = join(dir, '.registry')
})
afterAll(async () => {
  if (dev?.child.exitCode === null) await dev.stop()
  rmSync(dir, { recursive: true, force: true })
})

const check = async (sheet: string) => (await fetch(`${dev!.url}/api/sheets/${sheet}`)).json()

test('SIGKILL while objects migrate: after the restart each is fully migrated, none half', { timeout: 240_000 }, async () => {
  dev = await startDev(dir, [], registry)
  for (const sheet of SHEETS) {
    const response = await fetch(`${dev.url}/api/sheets/${sheet}`, { method: 'POST', body: JSON.stringify({ rows: ROWS, keys: KEYS }) })
    expect(await response.json()).toEqual({ rows: ROWS })
  }
  await dev.stop()

  const file = join(dir, 'app/objects/sheet.ts')
  expect(readFileSync(file, 'utf8')).toContain('Version 1.')
  writeFileSync(file, SHEET_V2)
  dev = await startDev(dir, [], registry)
  const [workerd] = workerdChildren(dev.child.pid)
  // workerd runs the objects one at a time: when the first answers, the others are migrating
  // or waiting to. Kill everything right then.
  const answered: string[] = []
  const calls = SHEETS.map((sheet) =>
    check(sheet).then(
      () => answered.push(sheet),
      () => {},
    ),
  )
  await Promise.race(calls)
  process.kill(workerd, 'SIGKILL')
  dev.child.kill('SIGKILL')
  await Promise.all(calls)
  expect(answered.length).toBeGreaterThan(0)
  expect(answered.length).toBeLessThan(SHEETS.length)

  dev = await startDev(dir, [], registry)
  for (const sheet of SHEETS) {
    expect(await check(sheet), sheet).toEqual({ version: 2, rows: ROWS, keys: KEYS, wrongRows: 0, wrongKeys: 0 })
  }
})
