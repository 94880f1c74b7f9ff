import { execFile } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  BROWSER_TEST_TIMEOUT,
  inBackground,
  launchChromium,
  runAppTests,
  startFromTemplate,
  TSC,
  typecheck,
  type RunningExample,
} from './support.js'

import { CLI } from '../../packages/cli/test/support/dev-process.js'

const run = promisify(execFile)

// templates/chat as a user gets it: `cloudwerk create --template chat --link`, then `cloudwerk dev`.
let app: RunningExample
let checked: () => Promise<void>
beforeAll(async () => {
  app = await startFromTemplate('chat')
  // The type check and the app's own tests (in workerd, through startTestApp) run beside the browser test.
  checked = inBackground(Promise.all([typecheck(app.dir), runAppTests(app.dir)]))
})
afterAll(() => app?.stop())

test('the created app has a .gitignore and depends on this checkout', () => {
  expect(existsSync(join(app.dir, '.gitignore'))).toBe(true)
  const pkg = JSON.parse(readFileSync(join(app.dir, 'package.json'), 'utf8'))
  expect(pkg.dependencies['@cloudwerk/durable-object']).toMatch(/^file:.*packages\/durable-object$/)
})

test(
  'in Chromium, two people join a room, see each other online, and one hears the other',
  async () => {
    const browser = await launchChromium()
    try {
      const pages = []
      for (const name of ['ada', 'bob']) {
        const page = await (await browser.newContext()).newPage()
        await page.goto(`${app.url}/#tea`)
        await page.locator('#username').fill(name)
        await page.locator('#join button').click()
        // Welcomed (the list shows this user) before the next one joins: else bob may be in
        // first, and ada never hears that he joined.
        await page.locator('#online li', { hasText: name }).waitFor()
        pages.push(page)
      }
      const [ada, bob] = pages
      await ada.locator('#online li', { hasText: 'bob' }).waitFor()
      for (const page of pages) expect(await page.locator('#online li').allTextContents()).toEqual(['ada', 'bob'])
      await ada.locator('#messages li', { hasText: 'bob joined' }).waitFor()

      await bob.locator('#text').fill('hello from bob')
      await bob.locator('#send button').click()
      await ada.locator('#messages li', { hasText: 'bob: hello from bob' }).waitFor()

      await bob.close()
      await ada.locator('#messages li', { hasText: 'bob left' }).waitFor()
      expect(await ada.locator('#online li').allTextContents()).toEqual(['ada'])
    } finally {
      await browser.close()
    }
  },
  BROWSER_TEST_TIMEOUT,
)

// wrangler types, three type checks (the Worker side, its tests, client/) and the app's own tests in workerd: on a busy machine, about a minute.
test('the app type-checks and its own tests pass (npm run typecheck, npm test)', () => checked(), 2 * BROWSER_TEST_TIMEOUT)

test(
  'the page is checked against the DOM types and the Worker against the Workers types',
  async () => {
    // After the type check above, which these two files would fail.
    await checked().catch(() => {})
    writeFileSync(join(app.dir, 'app', 'wrong-side.ts'), 'export const title = document.title\n')
    writeFileSync(join(app.dir, 'client', 'wrong-side.ts'), 'export let state: DurableObjectState | undefined\n')
    const tsc = (project: string) =>
      run(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: app.dir }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      )
    expect(await tsc('.')).toContain("app/wrong-side.ts(1,22): error TS2584: Cannot find name 'document'.")
    expect(await tsc('client')).toContain("wrong-side.ts(1,19): error TS2304: Cannot find name 'DurableObjectState'.")
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  "a user who syncs the room to the browser gets connect<'ChatRoom'> typed in client/: state typed, a server-only key refused",
  async () => {
    await checked().catch(() => {})
    for (const side of ['app', 'client']) rmSync(join(app.dir, side, 'wrong-side.ts'), { force: true }) // the test above's
    // What live-client.md has a user do: give the object a client projection (here `messages`,
    // with `banned` kept on the server) and connect to it from client/.
    const objectFile = join(app.dir, 'app', 'objects', 'chat-room.ts')
    const source = readFileSync(objectFile, 'utf8')
    const synced = source
      .replace(
        'interface ChatRoomState {\n  messages: ChatMessage[]\n}',
        'interface ChatRoomState {\n  messages: ChatMessage[]\n  banned: string[]\n}',
      )
      .replace(
        'init: () => ({ messages: [] }),',
        "init: () => ({ messages: [], banned: [] }),\n  client: { state: ['messages'], methods: ['getRoom'] },",
      )
    expect(synced).toContain("client: { state: ['messages']")
    expect(synced).toContain('banned: string[]')
    writeFileSync(objectFile, synced)
    writeFileSync(
      join(app.dir, 'client', 'live.ts'),
      `import { connect } from '@cloudwerk/client'

const room = connect<'ChatRoom'>('/api/rooms/tea/connect')
export const texts: string[] = room.state.messages.map((message) => message.text)
export const online = room.call.getRoom().then((shown) => shown.online.length)
export const banned = room.state.banned
`,
    )
    await run(process.execPath, [CLI, 'types'], { cwd: app.dir })
    const tsc = await run(process.execPath, [TSC, '--noEmit', '-p', 'client'], { cwd: app.dir }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    )
    expect(tsc.match(/error TS/g), tsc).toHaveLength(1)
    expect(tsc).toMatch(/live\.ts\(6,34\): error TS2339: Property 'banned' does not exist on type '\{ messages: /)
  },
  BROWSER_TEST_TIMEOUT,
)
