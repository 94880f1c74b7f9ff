// D1 and R2 in `cloudwerk dev`, declared in wrangler.jsonc as for deploy, with their data kept
// in .wrangler/state across a restart (KV, vars and secrets are in dev.test.ts).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

let dir: string
let dev: DevProcess
beforeAll(async () => {
  dir = copyApp('bindings-app')
  dev = await startDev(dir)
}, 120_000)
afterAll(async () => {
  if (dev.child.exitCode === null) await dev.stop()
  removeApp(dir)
})

const note = async (text: string) => (await fetch(`${dev.url}/api/notes`, { method: 'POST', body: text })).json()

test('D1 and R2 bindings serve, and their data survives a restart', { timeout: 120_000 }, async () => {
  expect(await note('first')).toEqual({ rows: 1, files: 1, last: 'first' })
  expect(await note('second')).toEqual({ rows: 2, files: 2, last: 'second' })
  await dev.stop()
  dev = await startDev(dir)
  expect(await note('third')).toEqual({ rows: 3, files: 3, last: 'third' })
})
