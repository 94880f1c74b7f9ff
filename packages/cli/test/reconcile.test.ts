import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterEach, describe, expect, test } from 'vitest'
import { deleteObject, renameObject } from '../src/wrangler/object-commands.js'
import { bindingNames, reconcileWrangler } from '../src/wrangler/reconcile.js'
import { scanApp } from '../src/pipeline/scan.js'
import { renderEntry } from '../src/pipeline/write-entry.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function appWith(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cw-reconcile-'))
  dirs.push(dir)
  cpSync(join(import.meta.dirname, 'samples', 'app-tree'), dir, { recursive: true })
  if (config) writeFileSync(join(dir, 'wrangler.jsonc'), config)
  return dir
}
const read = (dir: string) => readFileSync(join(dir, 'wrangler.jsonc'), 'utf8')
const reconcile = (dir: string) => reconcileWrangler(scanApp(dir))

const USER_CONFIG = `{
  // my app
  "name": "shop",
  "compatibility_date": "2026-01-01",
  "vars": { "GREETING": "hi" }, // keep me
  "kv_namespaces": [{ "binding": "KV", "id": "abc" }],
  "durable_objects": {
    "bindings": [{ "name": "AUTH", "class_name": "AuthServer", "script_name": "backend" }]
  }
}
`

test('creates a config when there is none', () => {
  const dir = appWith()
  reconcile(dir)
  const config = parse(read(dir))
  expect(config.main).toBe('dist/index.js')
  expect(config.durable_objects.bindings).toEqual([
    { name: 'CHAT_ROOM', class_name: 'ChatRoom' },
    { name: 'COUNTER', class_name: 'Counter' },
  ])
  expect(config.migrations).toEqual([{ tag: 'v1', new_sqlite_classes: ['ChatRoom', 'Counter'] }])
})

test("keeps the user's comments, vars and other bindings, and is stable", () => {
  const dir = appWith(USER_CONFIG)
  reconcile(dir)
  const text = read(dir)
  expect(text).toContain('// my app')
  expect(text).toContain('// keep me')
  const config = parse(text)
  expect(config.vars).toEqual({ GREETING: 'hi' })
  expect(config.kv_namespaces).toEqual([{ binding: 'KV', id: 'abc' }])
  expect(config.durable_objects.bindings).toContainEqual({ name: 'AUTH', class_name: 'AuthServer', script_name: 'backend' })
  expect(config.compatibility_date).toBe('2026-01-01')
  reconcile(dir)
  expect(read(dir)).toBe(text)
})

test('a new object appends one migration and never edits earlier ones', () => {
  const dir = appWith()
  reconcile(dir)
  writeFileSync(join(dir, 'app/objects/cart.ts'), readFileSync(join(dir, 'app/objects/counter.ts')))
  reconcile(dir)
  expect(parse(read(dir)).migrations).toEqual([
    { tag: 'v1', new_sqlite_classes: ['ChatRoom', 'Counter'] },
    { tag: 'v2', new_sqlite_classes: ['Cart'] },
  ])
})

test('a removed object stops the build, changes nothing, and names both ways out', () => {
  const dir = appWith()
  reconcile(dir)
  const before = read(dir)
  unlinkSync(join(dir, 'app/objects/counter.ts'))
  expect(() => reconcile(dir)).toThrow(
    /class Counter has no object file[\s\S]*delete every Counter object[\s\S]*restore app\/objects\/counter\.ts[\s\S]*cloudwerk objects delete Counter/,
  )
  expect(read(dir)).toBe(before)
  deleteObject(dir, 'Counter')
  reconcile(dir)
  const config = parse(read(dir))
  expect(config.migrations.at(-1)).toEqual({ tag: 'v2', deleted_classes: ['Counter'] })
  expect(config.durable_objects.bindings).toEqual([{ name: 'CHAT_ROOM', class_name: 'ChatRoom' }])
})

test('a rename is suggested, then declared, keeping the data', () => {
  const dir = appWith()
  reconcile(dir)
  cpSync(join(dir, 'app/objects/counter.ts'), join(dir, 'app/objects/tally.ts'))
  unlinkSync(join(dir, 'app/objects/counter.ts'))
  expect(() => reconcile(dir)).toThrow(/cloudwerk objects rename Counter Tally/)
  renameObject(dir, 'Counter', 'Tally')
  reconcile(dir)
  const config = parse(read(dir))
  expect(config.migrations).toEqual([
    { tag: 'v1', new_sqlite_classes: ['ChatRoom', 'Counter'] },
    { tag: 'v2', renamed_classes: [{ from: 'Counter', to: 'Tally' }] },
  ])
  expect(config.durable_objects.bindings).toContainEqual({ name: 'TALLY', class_name: 'Tally' })
})

test('delete is refused while the object file exists', () => {
  const dir = appWith()
  reconcile(dir)
  expect(() => deleteObject(dir, 'Counter')).toThrow(/app\/objects\/counter\.ts still exists/)
})

test.each([
  ['a syntax error', '{ "name": "x", }}', /wrangler\.jsonc:1:\d+: .*not valid JSON/],
  [
    'a hand-edited history',
    '{ "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Counter"] }, { "tag": "v1", "new_sqlite_classes": ["ChatRoom"] }] }',
    /tag "v1" is used twice/,
  ],
  [
    'a binding to a class nobody creates',
    '{ "durable_objects": { "bindings": [{ "name": "GHOST", "class_name": "Ghost" }] } }',
    /GHOST points at the class Ghost/,
  ],
])('%s is an error naming wrangler.jsonc, and nothing is written', (_name, config, message) => {
  const dir = appWith(config)
  expect(() => reconcile(dir)).toThrow(message)
  expect(read(dir)).toBe(config)
})

describe('a ported Worker', () => {
  const PORTED = (fields: string) => `{
  "name": "chat",
  ${fields}
}
`
  test('a "main" other than dist/index.js stops the build, naming the old value and the fix', () => {
    const dir = appWith(PORTED('"main": "src/chat.mjs", "compatibility_date": "2026-01-01"'))
    const before = read(dir)
    expect(() => reconcile(dir)).toThrow(
      /wrangler\.jsonc: "main" is "src\/chat\.mjs", but Cloudwerk builds the Worker into dist\/index\.js[\s\S]*Set "main": "dist\/index\.js" in wrangler\.jsonc, and move what src\/chat\.mjs does into app\//,
    )
    expect(read(dir)).toBe(before)
    writeFileSync(join(dir, 'wrangler.jsonc'), PORTED('"main": "./dist/index.js", "compatibility_date": "2026-01-01"'))
    expect(() => reconcile(dir)).not.toThrow()
  })

  test('a compatibility_date before RPC on Durable Object stubs stops the build with the reason and the fix', () => {
    const dir = appWith(PORTED('"compatibility_date": "2024-01-01"'))
    const before = read(dir)
    expect(() => reconcile(dir)).toThrow(
      /"compatibility_date" is "2024-01-01", before 2024-04-03, when Workers started to allow RPC on Durable Object stubs[\s\S]*Set "compatibility_date": "\d{4}-\d\d-\d\d" \(or any date from 2024-04-03\)/,
    )
    expect(read(dir)).toBe(before)
    writeFileSync(join(dir, 'wrangler.jsonc'), PORTED('"compatibility_date": "2024-04-03"'))
    expect(() => reconcile(dir)).not.toThrow()
  })

  test("keeps the user's binding name for a class, and the generated code uses it", () => {
    const dir = appWith(
      PORTED(`"compatibility_date": "2026-01-01",
  "durable_objects": { "bindings": [{ "name": "rooms", "class_name": "ChatRoom" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["ChatRoom"] }]`),
    )
    const config = reconcile(dir)
    expect(parse(read(dir)).durable_objects.bindings).toEqual([
      { name: 'rooms', class_name: 'ChatRoom' },
      { name: 'COUNTER', class_name: 'Counter' },
    ])
    const manifest = bindingNames(scanApp(dir), config)
    expect(manifest.objects.map((o) => [o.className, o.binding])).toEqual([
      ['ChatRoom', 'rooms'],
      ['Counter', 'COUNTER'],
    ])
    expect(renderEntry(manifest)).toContain('ChatRoom: "rooms"')
    reconcile(dir)
    expect(parse(read(dir)).durable_objects.bindings[0]).toEqual({ name: 'rooms', class_name: 'ChatRoom' })
  })
})
