// The dev watcher against real file operations, made the way editors and tools make them:
// atomic saves (write a temporary file, rename it over the original, as sed -i, vim, Emacs and
// JetBrains IDEs do), renames, new folders, deletes, in app/, public/ and the config files.
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { watchApp, type AppWatcher, type Change } from '../src/dev/watch.js'

let root: string
let watcher: AppWatcher
const changes: Change[] = []
const waiters = new Set<() => void>()

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cw-watch-'))
  mkdirSync(join(root, 'app/api'), { recursive: true })
  mkdirSync(join(root, 'public'))
  writeFileSync(join(root, 'app/api/route.ts'), 'export const GET = () => new Response("1")\n')
  writeFileSync(join(root, 'public/hello.txt'), 'hello\n')
  writeFileSync(join(root, 'wrangler.jsonc'), '{ "name": "app" }\n')
  writeFileSync(join(root, '.dev.vars'), 'SECRET=1\n')
  watcher = watchApp(root, watchedPaths(), (change) => {
    changes.push(change)
    for (const waiter of waiters) waiter()
  })
  await watcher.ready
})
afterAll(async () => {
  await watcher.close()
  rmSync(root, { recursive: true, force: true })
})

function watchedPaths() {
  return [
    { path: join(root, 'app'), change: 'code' as const },
    { path: join(root, 'wrangler.jsonc'), change: 'code' as const },
    { path: join(root, '.dev.vars'), change: 'code' as const },
    { path: join(root, 'public'), change: 'assets' as const },
  ]
}

/** Does `edit`, then resolves with the change reported for it (one settled burst). */
async function reportedFor(edit: () => void): Promise<Change> {
  changes.length = 0
  const reported = new Promise<Change>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change reported within 5 s')), 5_000)
    const waiter = () => {
      clearTimeout(timer)
      waiters.delete(waiter)
      resolve(changes[0])
    }
    waiters.add(waiter)
  })
  edit()
  return reported
}

/** An atomic save: the new content goes to a temporary file that replaces the original. */
function saveAtomically(file: string, content: string) {
  const temporary = join(file, '..', `.${Date.now()}.tmp`)
  writeFileSync(temporary, content)
  renameSync(temporary, file)
}

const route = () => join(root, 'app/api/route.ts')

test('every atomic save of a file is seen, not only the first', async () => {
  for (const version of [2, 3, 4]) {
    expect(await reportedFor(() => saveAtomically(route(), `export const GET = () => new Response("${version}")\n`))).toBe('code')
  }
  // And a plain write after the atomic saves.
  expect(await reportedFor(() => writeFileSync(route(), 'export const GET = () => new Response("5")\n'))).toBe('code')
})

test('a save and a second one right after it (a formatter on save): reported after the second', async () => {
  let secondSaved = 0
  const reported = reportedFor(() => {
    saveAtomically(route(), 'export const GET = () => new Response("6")\n')
    setTimeout(() => {
      saveAtomically(route(), 'export const GET = () => new Response("6 formatted")\n')
      secondSaved = performance.now()
    }, 40)
  })
  expect(await reported).toBe('code')
  expect(secondSaved).toBeGreaterThan(0)
})

test('atomic saves of the config files are seen, each time', async () => {
  for (const version of [1, 2]) {
    expect(await reportedFor(() => saveAtomically(join(root, 'wrangler.jsonc'), `{ "name": "app${version}" }\n`))).toBe('code')
    expect(await reportedFor(() => saveAtomically(join(root, '.dev.vars'), `SECRET=${version}\n`))).toBe('code')
  }
})

test('a new folder, a file in it, a rename and a delete under app/ are seen', async () => {
  expect(await reportedFor(() => mkdirSync(join(root, 'app/api/items')))).toBe('code')
  expect(
    await reportedFor(() => writeFileSync(join(root, 'app/api/items/route.ts'), 'export const GET = () => new Response("items")\n')),
  ).toBe('code')
  expect(
    await reportedFor(() => saveAtomically(join(root, 'app/api/items/route.ts'), 'export const GET = () => new Response("items 2")\n')),
  ).toBe('code')
  expect(await reportedFor(() => renameSync(join(root, 'app/api/items'), join(root, 'app/api/things')))).toBe('code')
  expect(
    await reportedFor(() => saveAtomically(join(root, 'app/api/things/route.ts'), 'export const GET = () => new Response("things")\n')),
  ).toBe('code')
  expect(await reportedFor(() => unlinkSync(join(root, 'app/api/things/route.ts')))).toBe('code')
})

test('public/: added, atomically saved, renamed and deleted files are assets changes', async () => {
  expect(await reportedFor(() => writeFileSync(join(root, 'public/added.txt'), 'added\n'))).toBe('assets')
  expect(await reportedFor(() => saveAtomically(join(root, 'public/hello.txt'), 'hello again\n'))).toBe('assets')
  expect(await reportedFor(() => saveAtomically(join(root, 'public/hello.txt'), 'hello a third time\n'))).toBe('assets')
  expect(await reportedFor(() => renameSync(join(root, 'public/added.txt'), join(root, 'public/renamed.txt')))).toBe('assets')
  expect(await reportedFor(() => mkdirSync(join(root, 'public/img')))).toBe('assets')
  expect(await reportedFor(() => unlinkSync(join(root, 'public/renamed.txt')))).toBe('assets')
})

test('a watched folder that does not exist yet is seen when it appears, and a replaced folder keeps being watched', async () => {
  await watcher.update([...watchedPaths(), { path: join(root, 'client'), change: 'code' }])
  expect(await reportedFor(() => mkdirSync(join(root, 'client')))).toBe('code')
  expect(await reportedFor(() => writeFileSync(join(root, 'client/main.ts'), 'console.log(1)\n'))).toBe('code')
  expect(await reportedFor(() => saveAtomically(join(root, 'client/main.ts'), 'console.log(2)\n'))).toBe('code')
  // public/ removed and created again (a tool that rebuilds its output folder).
  expect(await reportedFor(() => rmSync(join(root, 'public'), { recursive: true }))).toBe('assets')
  expect(await reportedFor(() => mkdirSync(join(root, 'public')))).toBe('assets')
  expect(await reportedFor(() => writeFileSync(join(root, 'public/new.txt'), 'new\n'))).toBe('assets')
})

test("editors' temporary files alone report nothing", async () => {
  changes.length = 0
  writeFileSync(join(root, 'app/api/route.ts~'), 'backup')
  writeFileSync(join(root, 'app/api/.route.ts.swp'), 'swap')
  writeFileSync(join(root, 'app/api/4913'), '') // vim's check that it may write the folder
  unlinkSync(join(root, 'app/api/4913'))
  mkdirSync(join(root, 'app/node_modules/x'), { recursive: true })
  writeFileSync(join(root, 'app/node_modules/x/index.js'), '')
  await new Promise((resolve) => setTimeout(resolve, 400))
  expect(changes).toEqual([])
})
