// `startTestApp` behaves like production: it leaves the deploy config alone, values cross
// `app.objects` as they cross real RPC, and a failed start reports only its own error.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { removeApp } from './support/dev-process.js'
import { useTestApp } from './support/test-app.js'

const REPO = join(import.meta.dirname, '..', '..', '..')
const CLOCK = `import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ last?: number }>({
  methods: {
    stamp(at: Date) {
      this.state.last = at.getTime()
      return { at, isDate: at instanceof Date, year: at.getUTCFullYear() }
    },
    kinds() {
      return { map: new Map([['a', 1n]]), set: new Set([1, 2]), nothing: undefined, list: [undefined, -0, Infinity], bytes: new Uint8Array([1, 2]), pattern: /a+/g }
    },
  },
})
`

let config: string
const fixture = useTestApp('testing-app', (dir) => {
  writeFileSync(join(dir, 'app/objects/clock.ts'), CLOCK)
  mkdirSync(join(dir, 'public'))
  writeFileSync(join(dir, 'public/hello.txt'), 'hello')
  config = readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')
})
const objects = fixture.objects

test("startTestApp leaves wrangler.jsonc as it was, and the new object's binding works in the test", async () => {
  expect(readFileSync(join(fixture.dir, 'wrangler.jsonc'), 'utf8')).toBe(config)
  expect(await objects().Counter.getByName('a').increment(2)).toBe(2)
  expect(await (await fixture.app.fetch('/hello.txt')).text()).toBe('hello')
  // The assets the build would add to the config must still let the routes answer.
  expect(await (await fixture.app.fetch('/api/counter/b', { method: 'POST' })).json()).toEqual({ value: 1, version: 1 })
  await fixture.app.evict()
  expect(await objects().Counter.getByName('a').increment(1)).toBe(3)
  expect(readFileSync(join(fixture.dir, 'wrangler.jsonc'), 'utf8')).toBe(config)
})

test('a Date crosses app.objects both ways as a Date, as it crosses RPC', async () => {
  const at = new Date('2026-03-04T05:06:07.089Z')
  const result = await objects().Clock.getByName('c').stamp(at)
  expect(result).toEqual({ at, isDate: true, year: 2026 })
  expect(result.at).toBeInstanceOf(Date)
})

test('Map, Set, BigInt, undefined, -0, Infinity, typed arrays and RegExp arrive as structured clone gives them', async () => {
  const kinds = await objects().Clock.getByName('c').kinds()
  expect(kinds.map).toEqual(new Map([['a', 1n]]))
  expect(kinds.set).toEqual(new Set([1, 2]))
  expect('nothing' in kinds && kinds.nothing === undefined).toBe(true)
  expect(Object.is(kinds.list[1], -0) && kinds.list[2] === Infinity && kinds.list[0] === undefined).toBe(true)
  expect(kinds.bytes).toEqual(new Uint8Array([1, 2]))
  expect(kinds.pattern).toEqual(/a+/g)
})

test("when startTestApp fails, the template's test reports that error alone", () => {
  const template = mkdtempSync(join(tmpdir(), 'cw-template-'))
  try {
    cpSync(join(REPO, 'templates/basic'), template, { recursive: true })
    symlinkSync(join(REPO, 'node_modules'), join(template, 'node_modules'))
    const object = join(template, 'app/objects/counter.ts')
    writeFileSync(object, readFileSync(object, 'utf8').replace('methods:', 'method:'))
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: template,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 90_000,
    })
    const output = result.stdout + result.stderr
    expect(result.status).toBe(1)
    expect(output).toMatch(/app\/objects\/counter\.ts: defineDurableObject: unknown option `method`/)
    expect(output).not.toMatch(/TypeError|reading 'close'/)
  } finally {
    removeApp(template)
  }
}, 120_000)
