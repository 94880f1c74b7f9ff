// Broken projects through the real `cloudwerk build`: every failure exits 1 with a message that
// names the file and the fix (never "Internal error" and a stack), and leaves every file of the
// app (wrangler.jsonc, app/, dist/) byte for byte as it was. packages/cli/test covers the scanner's
// and the migration planner's messages one function at a time; this runs the command end to end.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { applyEdits, modify } from 'jsonc-parser'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { cloudwerk, copyApp } from './support/app.mjs'
import { restoreTree, snapshotTree } from './support/tree.mjs'

let dir: string
let built: Record<string, string>
beforeAll(async () => {
  dir = copyApp('small')
  const first = await cloudwerk(dir, ['build', '--no-types'])
  expect(first.output).toContain('Built dist/index.js')
  built = snapshotTree(dir)
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (file: string, text: string) => () => {
  mkdirSync(dirname(join(dir, file)), { recursive: true })
  writeFileSync(join(dir, file), text)
}
const edit = (file: string, change: (text: string) => string) => () =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')))
/** A hand edit of wrangler.jsonc at a JSON path, comments kept, as a user's editor would make it. */
const config = (path: (string | number)[], value: unknown) =>
  edit('wrangler.jsonc', (text) => applyEdits(text, modify(text, path, value, {})))

const DEFINITION = "import { defineDurableObject } from '@cloudwerk/durable-object'\n"
const HOW_TO_EXPORT = /export default defineDurableObject<State>\(\{/

// After the first build, wrangler.jsonc holds migrations [{ tag: "v1", new_sqlite_classes: ["Counter"] }]
// and the binding COUNTER.
const cases: Array<[string, () => void, RegExp[]]> = [
  // Object files
  [
    'a new object file with a syntax error',
    write('app/objects/audit.ts', `${DEFINITION}export default defineDurableObject({ methods: {}\n`),
    [/app\/objects\/audit\.ts:3:\d+: Expected "\}" but found end of file/],
  ],
  [
    'a syntax error in an existing object file',
    edit('app/objects/counter.ts', (text) => text.replace('this.state.value += amount', 'this.state.value += ')),
    [/app\/objects\/counter\.ts:\d+:\d+: /],
  ],
  [
    'an object file without a default export',
    write('app/objects/audit.ts', `${DEFINITION}export const audit = defineDurableObject({})\n`),
    [/app\/objects\/audit\.ts has no default export/, HOW_TO_EXPORT],
  ],
  [
    'an object file exporting a number beside a definition',
    write('app/objects/audit.ts', `${DEFINITION}export const audit = defineDurableObject({})\nexport default 42\n`),
    [/app\/objects\/audit\.ts: the default export is not a defineDurableObject\(\.\.\.\) result/, HOW_TO_EXPORT],
  ],
  [
    'an object file exporting a hand-written class',
    write(
      'app/objects/audit.ts',
      "import { DurableObject } from 'cloudflare:workers'\nexport default class Audit extends DurableObject {}\n",
    ),
    [/app\/objects\/audit\.ts: the default export is not a defineDurableObject/, HOW_TO_EXPORT],
  ],
  // Malformed definitions: caught by loading the definition, before a migration is appended for it
  [
    'a definition with `method:` for `methods:`',
    write(
      'app/objects/audit.ts',
      `${DEFINITION}export default defineDurableObject({ init: () => ({}), method: { ping() { return 1 } } })\n`,
    ),
    [/app\/objects\/audit\.ts: defineDurableObject: unknown option `method`\. Fix: did you mean `methods`\?/],
  ],
  [
    'a method named fetch',
    write('app/objects/audit.ts', `${DEFINITION}export default defineDurableObject({ methods: { fetch() { return 1 } } })\n`),
    [/app\/objects\/audit\.ts: defineDurableObject: method `fetch` is a handler, not an RPC method\. Fix: define it at the top level/],
  ],
  [
    'an unknown option',
    write('app/objects/audit.ts', `${DEFINITION}export default defineDurableObject({ methods: {}, persist: true })\n`),
    [/app\/objects\/audit\.ts: defineDurableObject: unknown option `persist`\. Fix: the options are: init, schema/],
  ],
  [
    'a malformed definition in an existing object file',
    edit('app/objects/counter.ts', (text) => text.replace('methods:', 'method:')),
    [/app\/objects\/counter\.ts: defineDurableObject: unknown option `method`/],
  ],
  [
    'two files that become one class',
    write('app/objects/counter.js', `${DEFINITION}export default defineDurableObject({})\n`),
    [/app\/objects\/counter\.js and app\/objects\/counter\.ts both become the class Counter\. Rename or remove one of them/],
  ],
  // Routes
  [
    'two route files for one URL (a group and another param name)',
    write('app/(admin)/api/counter/[key]/route.ts', 'export const GET = () => new Response()\n'),
    [
      /app\/\(admin\)\/api\/counter\/\[key\]\/route\.ts and app\/api\/counter\/\[id\]\/route\.ts both answer \/api\/counter\/:id\. Keep one route file per URL/,
    ],
  ],
  [
    'a route importing a module that does not exist',
    edit('app/api/counter/[id]/route.ts', (text) => `import './missing'\n${text}`),
    [/app\/api\/counter\/\[id\]\/route\.ts:1:\d+: Could not resolve "\.\/missing"/],
  ],
  // wrangler.jsonc
  [
    'wrangler.jsonc with a syntax error',
    edit('wrangler.jsonc', (text) => text.replace('"main"', '"main" "oops",')),
    [/wrangler\.jsonc:\d+:\d+: \w+ — the file is not valid JSON with comments\. Fix it and build again \(nothing was changed\)/],
  ],
  [
    'a migration tag used twice',
    config(['migrations', 1], { tag: 'v1', new_sqlite_classes: ['Audit'] }),
    [
      /wrangler\.jsonc: the migration history breaks the platform's rules:\n {2}- migrations\[1\] \(tag "v1"\): the tag "v1" is used twice/,
      /Fix wrangler\.jsonc by hand/,
    ],
  ],
  [
    'a class created twice',
    config(['migrations', 1], { tag: 'v2', new_sqlite_classes: ['Counter'] }),
    [/migrations\[1\] \(tag "v2"\) creates Counter, which already exists \(created in "v1"\)/, /Fix wrangler\.jsonc by hand/],
  ],
  [
    'a rename from a class that never existed',
    config(['migrations', 1], { tag: 'v2', renamed_classes: [{ from: 'Ghost', to: 'Spirit' }] }),
    [/migrations\[1\] \(tag "v2"\) renames Ghost, which does not exist at that point/],
  ],
  [
    'a delete of a class that never existed',
    config(['migrations', 1], { tag: 'v2', deleted_classes: ['Ghost'] }),
    [/migrations\[1\] \(tag "v2"\) deletes Ghost, which does not exist at that point/],
  ],
  [
    'a deployed entry rewritten to key-value storage',
    config(['migrations', 0], { tag: 'v1', new_classes: ['Counter'] }),
    [/Counter was created with "new_classes" \(key-value storage\) in "v1"[\s\S]*Give the object a new name/],
  ],
  [
    'a binding to a class no migration creates',
    config(['durable_objects', 'bindings', 1], { name: 'OLD', class_name: 'Old' }),
    [/the binding OLD points at the class Old, which no migration creates[\s\S]*remove the binding, or add "script_name"/],
  ],
  [
    'a migration that is not an object',
    config(['migrations', 1], 'v2'),
    [
      /wrangler\.jsonc: migrations\[1\] must be an object, like \{ "tag": "v1", "new_sqlite_classes": \["Counter"\] \}, but it is the string "v2"\. Fix it by hand/,
    ],
  ],
  [
    'a class list written as a string',
    config(['migrations', 0, 'new_sqlite_classes'], 'Counter'),
    [/wrangler\.jsonc: migrations\[0\]\.new_sqlite_classes must be a list, like \["Counter"\], but it is the string "Counter"/],
  ],
  [
    'renamed_classes written as an object',
    config(['migrations', 1], { tag: 'v2', renamed_classes: { from: 'Counter', to: 'Tally' } }),
    [/migrations\[1\]\.renamed_classes must be a list, like \[\{ "from": "Old", "to": "New" \}\], but it is an object/],
  ],
  [
    'a rename without "to"',
    config(['migrations', 1], { tag: 'v2', renamed_classes: [{ from: 'Counter' }] }),
    [/migrations\[1\]\.renamed_classes\[0\]\.to must be a non-empty string, but it is missing/],
  ],
  [
    'a migration tag that is a number',
    config(['migrations', 0, 'tag'], 1),
    [/migrations\[0\]\.tag must be a non-empty string, but it is the number 1/],
  ],
  [
    'durable_objects written as a list',
    config(['durable_objects'], []),
    [/wrangler\.jsonc: durable_objects must be an object, like \{ "bindings": \[\.\.\.\] \}, but it is a list/],
  ],
]

test.each(cases)('%s: exit 1, the file and the fix named, nothing written', async (_name, change, messages) => {
  change()
  const before = snapshotTree(dir)
  const result = await cloudwerk(dir, ['build', '--no-types'])
  try {
    expect(result.code).toBe(1)
    expect(result.output).not.toMatch(/Internal error|\n\s+at /)
    for (const message of messages) expect(result.output).toMatch(message)
    expect(snapshotTree(dir)).toEqual(before)
  } finally {
    restoreTree(dir, built)
  }
})

test('after all of that, the untouched app still builds, to the same output', async () => {
  const result = await cloudwerk(dir, ['build', '--no-types'])
  expect(result.output).toContain('Built dist/index.js')
  expect(snapshotTree(dir)).toEqual(built)
})
